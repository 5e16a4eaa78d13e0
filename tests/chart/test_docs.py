"""The Markdown pages of the repository: every relative link reaches a file or directory of the
repository (and, for a link into a Markdown page with #anchor, a heading of that page); nothing
links or points outside the repository (an absolute path, `../shared`, a `../` path that climbs
above the root)."""

import os
import re
import subprocess
import unittest

from helm_util import ROOT

# [text](target) and ![alt](target); the target may be <bracketed> and followed by a "title".
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
# [label]: target (reference definitions).
REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.MULTILINE)
# A path that starts by climbing: ../x, ../../x (in links, code spans and prose alike).
CLIMBING_PATH = re.compile(r"(?<![\w./-])((?:\.\./)+[\w.\-/]*)")
FENCE = re.compile(r"^\s*(```|~~~)")
IGNORED_SCHEMES = ("http://", "https://", "mailto:")


def repo_files():
    """Tracked files plus untracked ones not ignored: what a commit of the work tree would hold."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    return {f for f in out if os.path.exists(os.path.join(ROOT, f))}


def markdown_files():
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    return sorted(f for f in out if os.path.exists(os.path.join(ROOT, f)))


def prose(text, code_spans=False):
    """The text outside fenced code blocks and (unless `code_spans`) inline code spans: links there
    are not links."""
    kept, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            kept.append("")
            continue
        if fenced:
            kept.append("")
        else:
            kept.append(line if code_spans else re.sub(r"(`+)(?:(?!\1).)+\1", "", line))
    return "\n".join(kept)


def links(text):
    body = prose(text)
    found = [m.group(1) for m in INLINE_LINK.finditer(body)] + [m.group(1) for m in REFERENCE_DEF.finditer(body)]
    return [t[1:-1] if t.startswith("<") and t.endswith(">") else t for t in found]


def slug(heading):
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip())
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def anchors(path):
    with open(path) as f:
        text = prose(f.read(), code_spans=True)
    seen, out = {}, set()
    for m in re.finditer(r"^#{1,6}\s+(.*?)\s*#*\s*$", text, re.MULTILINE):
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


class DocsLinksTest(unittest.TestCase):
    files = repo_files()

    @classmethod
    def setUpClass(cls):
        cls.dirs = set()
        for f in cls.files:
            d = os.path.dirname(f)
            while d:
                cls.dirs.add(d)
                d = os.path.dirname(d)

    def test_there_are_pages(self):
        self.assertIn("README.md", markdown_files())

    def test_relative_links_reach_repository_files(self):
        problems = []
        for rel in markdown_files():
            with open(os.path.join(ROOT, rel)) as f:
                text = f.read()
            here = os.path.dirname(rel)
            for target in links(text):
                if target.startswith(IGNORED_SCHEMES) or target.startswith("#"):
                    continue
                path, _, anchor = target.partition("#")
                if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", path):
                    problems.append(f"{rel}: {target}: not a relative link (only http(s) and mailto are allowed)")
                    continue
                if path.startswith("/"):
                    problems.append(f"{rel}: {target}: absolute path")
                    continue
                resolved = os.path.normpath(os.path.join(here, path))
                if resolved == ".." or resolved.startswith("../"):
                    problems.append(f"{rel}: {target}: outside the repository")
                    continue
                resolved = "" if resolved == "." else resolved
                if resolved not in self.files and resolved not in self.dirs and resolved != "":
                    problems.append(f"{rel}: {target}: no such file in the repository")
                    continue
                if anchor and resolved.endswith(".md") and anchor not in anchors(os.path.join(ROOT, resolved)):
                    problems.append(f"{rel}: {target}: no heading #{anchor} in {resolved}")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_nothing_points_outside_the_repository(self):
        problems = []
        for rel in markdown_files():
            with open(os.path.join(ROOT, rel)) as f:
                text = f.read()
            here = os.path.dirname(rel)
            for n, line in enumerate(text.splitlines(), 1):
                if re.search(r"(?<![\w-])\.\./shared\b", line):
                    problems.append(f"{rel}:{n}: refers to ../shared")
                    continue
                for path in CLIMBING_PATH.findall(line):
                    resolved = os.path.normpath(os.path.join(here, path))
                    if resolved == ".." or resolved.startswith("../"):
                        problems.append(f"{rel}:{n}: {path} climbs out of the repository")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))


if __name__ == "__main__":
    unittest.main()
