"""The release: the Dockerfiles and the tag workflow lint clean (hadolint, actionlint with
shellcheck), every binary a Dockerfile builds or copies is one the Cargo workspace defines, the
build context lets in every crate, the images the workflow pushes are the chart's default image and
the worker image the docs and examples use, and the chart's appVersion is the workspace version.
No Docker engine runs here: these checks are what can be known without building."""

import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys
import tomllib
import unittest

import yaml

from helm_util import CHART, ROOT

WORKFLOW = os.path.join(ROOT, ".github", "workflows", "release.yml")
SKIP_DIRS = {".git", "target", ".venv", ".cache", "node_modules", "profile-output"}
# The registry namespace the release workflow pushes to (the GitHub organisation of the repository).
REGISTRY = "ghcr.io/profiler-operator"
PLATFORMS = {"linux/amd64", "linux/arm64"}


def tool(name):
    """A linter installed by tests/requirements.txt into the venv running the tests, else on PATH."""
    for candidate in (os.path.join(os.path.dirname(sys.executable), name), shutil.which(name)):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError(f"{name} not found: install tests/requirements.txt into the venv that runs the tests")


def dockerfiles():
    found = []
    for dirpath, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        found += [os.path.join(dirpath, f) for f in filenames if f == "Dockerfile" or f.endswith(".Dockerfile")]
    return sorted(found)


def dockerfile_instructions(path):
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    with open(path) as f:
        text = f.read()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    out = []
    for line in joined.splitlines():
        parts = line.strip().split(None, 1)
        if parts:
            out.append((parts[0].upper(), parts[1] if len(parts) > 1 else ""))
    return out


def load_toml(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def workspace():
    return load_toml(os.path.join(ROOT, "Cargo.toml"))["workspace"]


def workspace_binaries():
    """{package name: set of binary names}, as Cargo sees them: the [[bin]] sections, then the
    binaries Cargo infers from src/main.rs and src/bin/ (unless autobins = false) at paths no
    [[bin]] section already claims."""
    packages = {}
    for member in workspace()["members"]:
        crate = os.path.join(ROOT, member)
        manifest = load_toml(os.path.join(crate, "Cargo.toml"))
        name = manifest["package"]["name"]
        bins, claimed = set(), set()
        for b in manifest.get("bin", []):
            bins.add(b["name"])
            if "path" in b:
                claimed.add(os.path.normpath(os.path.join(crate, b["path"])))
        if manifest["package"].get("autobins", True):
            inferred = {os.path.join(crate, "src", "main.rs"): name}
            for p in glob.glob(os.path.join(crate, "src", "bin", "*.rs")):
                inferred[p] = os.path.splitext(os.path.basename(p))[0]
            for p in glob.glob(os.path.join(crate, "src", "bin", "*", "main.rs")):
                inferred[p] = os.path.basename(os.path.dirname(p))
            for p, bin_name in inferred.items():
                if os.path.exists(p) and os.path.normpath(p) not in claimed:
                    bins.add(bin_name)
        packages[name] = bins
    return packages


def workflow():
    with open(WORKFLOW) as f:
        doc = yaml.safe_load(f)
    # YAML 1.1 reads the key `on` as the boolean true.
    doc["on"] = doc.pop(True, doc.get("on"))
    return doc


def steps(doc):
    return [(name, step) for name, job in doc["jobs"].items() for step in job.get("steps", [])]


def pushed_images(doc):
    """{image repository: Dockerfile} of every build-push-action step, its matrix expanded."""
    images = {}
    for job in doc["jobs"].values():
        matrix = job.get("strategy", {}).get("matrix", {}).get("include", [{}])
        for step in job.get("steps", []):
            if not step.get("uses", "").startswith("docker/build-push-action@"):
                continue
            for entry in matrix:
                def expand(value):
                    return re.sub(r"\$\{\{\s*matrix\.(\w+)\s*\}\}", lambda m: str(entry[m.group(1)]), value)
                tag = expand(step["with"]["tags"])
                images[tag.split(":", 1)[0]] = expand(step["with"]["file"])
    return images


def chart_yaml():
    with open(os.path.join(CHART, "Chart.yaml")) as f:
        return yaml.safe_load(f)


def values_yaml():
    with open(os.path.join(CHART, "values.yaml")) as f:
        return yaml.safe_load(f)


def image_references():
    """(file, reference) of every profiler image named in a Markdown page or an example manifest."""
    pattern = re.compile(r"(?<![\w.\-])(?:[\w.\-]+/)*profiler-(?:worker|controller):[\w.\-]+")
    files = subprocess.run(["git", "ls-files", "*.md", "examples/*.yaml"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    refs = []
    for rel in sorted(set(files)):
        path = os.path.join(ROOT, rel)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for ref in pattern.findall(f.read()):
                # An ECS task definition ARN (`task-definition/profiler-worker:7`) is not an image.
                if "task-definition/" not in ref:
                    refs.append((rel, ref))
    return refs


class LintTest(unittest.TestCase):
    def test_dockerfiles_pass_hadolint(self):
        files = dockerfiles()
        self.assertGreaterEqual(len(files), 2, files)
        proc = subprocess.run([tool("hadolint"), "--no-color", *files], capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_workflows_pass_actionlint(self):
        workflows = sorted(glob.glob(os.path.join(ROOT, ".github", "workflows", "*.yml")))
        self.assertIn(WORKFLOW, workflows)
        # shellcheck checks the `run:` scripts; pyflakes is not installed, so no Python steps are expected.
        cmd = [tool("actionlint"), "-no-color", "-shellcheck", tool("shellcheck"), "-pyflakes=", *workflows]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)


class DockerfileTest(unittest.TestCase):
    def test_every_binary_is_one_the_workspace_builds(self):
        packages = workspace_binaries()
        all_bins = set().union(*packages.values())
        self.assertIn("profiler-controller", packages.get("profiler-controller", set()))
        for path in dockerfiles():
            rel = os.path.relpath(path, ROOT)
            text = " ".join(args for _, args in dockerfile_instructions(path))
            builds = " ".join(re.findall(r"cargo build[^&;|]*", text))
            with self.subTest(dockerfile=rel):
                built_packages = re.findall(r"(?:\s-p|--package)\s+([\w-]+)", builds)
                built_bins = set(re.findall(r"--bin\s+([\w-]+)", builds))
                copied = set(re.findall(r"target/(?:[\w-]+/)?release/([\w-]+)", text))
                self.assertTrue(built_bins, f"{rel} builds no --bin")
                for p in built_packages:
                    self.assertIn(p, packages, f"{rel}: -p {p} is not a workspace package")
                available = set().union(*(packages[p] for p in built_packages)) if built_packages else all_bins
                for b in built_bins:
                    self.assertIn(b, available, f"{rel}: --bin {b} is not a binary of {built_packages or 'the workspace'}")
                for b in copied:
                    self.assertIn(b, built_bins, f"{rel}: copies target/release/{b}, which it does not build")
                entry = [args for ins, args in dockerfile_instructions(path) if ins == "ENTRYPOINT"]
                self.assertTrue(entry, f"{rel} has no ENTRYPOINT")
                binary = os.path.basename(yaml.safe_load(entry[-1])[0])
                self.assertIn(binary, built_bins, f"{rel}: ENTRYPOINT runs {binary}, which it does not build")

    def test_final_stage_is_unprivileged(self):
        for path in dockerfiles():
            instructions = dockerfile_instructions(path)
            last_from = max(i for i, (ins, _) in enumerate(instructions) if ins == "FROM")
            users = [args for ins, args in instructions[last_from:] if ins == "USER"]
            with self.subTest(dockerfile=os.path.relpath(path, ROOT)):
                self.assertTrue(users, "the final stage sets no USER")
                self.assertNotIn(users[-1].split(":")[0], ("root", "0"))

    def test_build_context_holds_the_workspace(self):
        """.dockerignore keeps out what Cargo never reads; every member crate and every directory a
        crate embeds at compile time (sqlx migrations, include_str!) must stay in, build output out.
        Patterns are evaluated for top-level entries, the last match deciding."""
        with open(os.path.join(ROOT, ".dockerignore")) as f:
            patterns = [line.strip() for line in f if line.strip() and not line.startswith("#")]

        def included(entry):
            keep = True
            for p in patterns:
                negate = p.startswith("!")
                p = p.lstrip("!").rstrip("/")
                # `**/` matches any number of directories, none included.
                if fnmatch.fnmatch(entry, p) or (p.startswith("**/") and fnmatch.fnmatch(entry, p[3:])):
                    keep = negate
            return keep

        needed = {"Cargo.toml", "Cargo.lock"} | {m.split("/")[0] for m in workspace()["members"]}
        embed = re.compile(r'(migrate|include_str|include_bytes)!\(\s*"([^"]+)"')
        for member in workspace()["members"]:
            crate = os.path.join(ROOT, member)
            for src in glob.glob(os.path.join(crate, "src", "**", "*.rs"), recursive=True):
                with open(src) as f:
                    for macro, rel in embed.findall(f.read()):
                        base = crate if macro == "migrate" else os.path.dirname(src)
                        target = os.path.relpath(os.path.normpath(os.path.join(base, rel)), ROOT)
                        needed.add(target.split(os.sep)[0])
        self.assertIn("migrations", needed)
        for entry in sorted(needed):
            self.assertTrue(included(entry), f".dockerignore leaves {entry} out of the build context")
        self.assertFalse(included("target"), ".dockerignore lets target/ into the build context")


class ReleaseWorkflowTest(unittest.TestCase):
    doc = workflow()

    def test_runs_on_version_tags(self):
        self.assertEqual(self.doc["on"], {"push": {"tags": ["v*"]}})

    def test_actions_pinned_by_version_tag(self):
        for job, step in steps(self.doc):
            if "uses" in step:
                with self.subTest(job=job, uses=step["uses"]):
                    self.assertRegex(step["uses"], r"^[\w.-]+/[\w./-]+@v\d+\.\d+\.\d+$")

    def test_images_are_the_chart_default_and_the_worker(self):
        images = pushed_images(self.doc)
        controller = values_yaml()["image"]["repository"]
        self.assertEqual(images, {
            controller: "controller/Dockerfile",
            f"{REGISTRY}/profiler-worker": "worker/Dockerfile",
        })
        self.assertEqual(controller, f"{REGISTRY}/profiler-controller")
        for image, dockerfile in images.items():
            self.assertTrue(os.path.exists(os.path.join(ROOT, dockerfile)), dockerfile)
        for job in self.doc["jobs"].values():
            uses = [step.get("uses", "").split("@")[0] for step in job.get("steps", [])]
            if "docker/build-push-action" in uses:
                step = next(s for s in job["steps"] if s.get("uses", "").startswith("docker/build-push-action@"))
                self.assertEqual(set(step["with"]["platforms"].split(",")), PLATFORMS)
                self.assertIs(step["with"]["push"], True)
                self.assertIn("docker/setup-qemu-action", uses, "arm64 builds under QEMU")
                self.assertEqual(job["permissions"].get("packages"), "write")

    def test_chart_published_as_oci_with_the_tag_version(self):
        runs = "\n".join(step.get("run", "") for _, step in steps(self.doc))
        self.assertRegex(runs, r"helm package charts/profiler-operator --version \"\$VERSION\" --app-version \"\$VERSION\"")
        self.assertIn(f"oci://{REGISTRY}/charts", runs)
        chart_job = next(j for j in self.doc["jobs"].values() if "helm package" in str(j))
        self.assertIn("images", chart_job["needs"], "the chart is published only after its images")

    def test_docs_and_examples_name_the_published_images(self):
        """Every profiler image named in the docs and examples is one the workflow pushes (or a copy
        of it in another registry, such as an ECR mirror, under the same name), at the release the
        chart defaults to (or a placeholder tag such as X.Y.Z)."""
        names = {image.rsplit("/", 1)[1]: image for image in pushed_images(self.doc)}
        app_version = str(chart_yaml()["appVersion"])
        refs = image_references()
        self.assertTrue(any(ref.startswith(f"{REGISTRY}/profiler-worker:") for _, ref in refs),
                        "no page names the published worker image")
        for rel, ref in refs:
            with self.subTest(file=rel, image=ref):
                repository, tag = ref.rsplit(":", 1)
                name = repository.rsplit("/", 1)[-1]
                self.assertIn(name, names)
                if repository.startswith("ghcr.io/"):
                    self.assertEqual(repository, names[name])
                if re.search(r"\d", tag):  # not a placeholder such as X.Y.Z
                    self.assertEqual(tag, app_version)


class VersionTest(unittest.TestCase):
    def test_chart_versions_are_the_workspace_version(self):
        version = workspace()["package"]["version"]
        chart = chart_yaml()
        self.assertEqual(str(chart["appVersion"]), version, "Chart.yaml appVersion vs [workspace.package] version")
        self.assertEqual(str(chart["version"]), version, "Chart.yaml version vs [workspace.package] version")


if __name__ == "__main__":
    unittest.main()
