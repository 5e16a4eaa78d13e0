"""An emulated Kubernetes API server for the operator's end-to-end tests (kube-rs 5 client, kubectl).

Usage: python kube_apiserver.py HOST PORT [CRD_YAML_FILE ...]
Serves plain HTTP without authentication on HOST:PORT and prints `ready` on stdout once listening.
The CustomResourceDefinitions in the YAML files are created at start; more can be POSTed later.
Set KUBE_EMULATOR_LOG=1 to log every request on stderr; KUBE_EMULATOR_WATCH_LOG=N keeps the last N
changes for watches (default 100000; watching from before them gives 410 Expired).

Built on kmock 0.8's `KubernetesEmulator`, which gives the HTTP server, request parsing, the in-memory
object store with its history (`emulator.objects`), legacy discovery from `emulator.resources` and the
`Status` error responses. kmock only merges dicts into its store, which kube-rs cannot work with, so
this subclass serves the object URLs itself (`_handle`) and fills in what kmock lacks:

- URLs: kmock's path parser reads `.../namespaces[/NAME]` as a namespace prefix (and fails on the
  bare list); `parse_path` is patched to read it as the namespaces resource.
- Metadata: uid, creationTimestamp, namespace, generateName, a cluster-wide monotonic
  resourceVersion that changes on every write, generation bumped on changes outside metadata and
  status. A write that changes nothing is a no-op: no new resourceVersion, no watch event.
- Watches (kmock took `watch=1` for a list and replayed everything on each watch): `watch=true` and
  `watch=1` stream JSON lines (ADDED/MODIFIED/DELETED) from a change log, from the given
  resourceVersion (410 Expired when too old), or all objects first when there is none or "0";
  `sendInitialEvents=true` ends the initial objects with a BOOKMARK; selectors turn objects
  leaving/entering the selection into DELETED/ADDED; `timeoutSeconds` ends the stream.
- Lists: apiVersion/kind/resourceVersion, `limit`/`continue` paging, labelSelector (=, ==, !=, in,
  notin, exists, !exists) and fieldSelector (=, ==, != on any dotted path, e.g. metadata.name).
- Writes: PUT with the resourceVersion conflict check (409; custom resources require it, as on a
  real server); JSON merge patch, strategic merge patch (treated as a merge patch), JSON patch (a
  `test` for null passes on a missing path, as in Kubernetes); server-side apply (YAML or JSON,
  `fieldManager` required, creates missing objects, removes fields the same manager applied before
  and omits now; always behaves as `force`: there are no field conflicts); `dryRun=All`.
- Custom resources: their CRD's openAPIV3Schema prunes unknown fields and non-nullable nulls and fills
  in defaults, as on a real server.
- The status subresource: /status writes change only status, other writes leave status alone, and
  status is dropped on create (for resources that have the subresource).
- DELETE: objects with finalizers get deletionTimestamp (and a new generation) and stay until the
  finalizers are emptied, then go with a DELETED event; no new finalizers once deleting;
  preconditions (uid, resourceVersion); DELETE on a collection.
- Errors are `Status` objects with Kubernetes reasons (NotFound, AlreadyExists, Conflict, Invalid,
  BadRequest, ...) instead of kmock's 'Object Not Found' with a traceback.
- Discovery: /api gets serverAddressByClientCIDRs, /api/v1 the groupVersion "v1" (kmock: "/v1"),
  subresources their own verbs; aggregated discovery (apidiscovery.k8s.io/v2, which kubectl and
  kube-rs' `run_aggregated` ask for) is added, as are /healthz, /livez and /readyz.
- Metadata-only reads (`Accept: ...;as=PartialObjectMetadata[List]`, kube-rs' metadata watchers).
- Built-in resources: namespaces, secrets (stringData folded into data), configmaps, events (core
  and events.k8s.io), leases, customresourcedefinitions (Established on create, and their
  resources served from then on until the CRD is deleted, which deletes their objects too).

Not emulated: authentication and authorization, admission, validation (types, required fields, CEL
rules: objects are stored whatever they hold), field ownership conflicts, garbage collection through
ownerReferences, namespace deletion cascades, the deprecated /watch/ URLs, list resourceVersion
semantics (lists are always current), OpenAPI documents (kubectl needs --validate=false) and
protobuf bodies (415: kubectl's typed commands such as `kubectl create configmap` fail; -f works).
"""

import asyncio
import base64
import bisect
import copy
import datetime
import json
import os
import random
import re
import signal
import string
import sys
import traceback
import uuid

import aiohttp.web
import attrs
import jsonpatch
import jsonpointer
import kmock
import yaml
from kmock._internal import parsing

VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']
REASONS = {400: 'BadRequest', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 410: 'Expired',
           415: 'UnsupportedMediaType', 422: 'Invalid', 500: 'InternalError'}
NAMESPACES = kmock.resource('', 'v1', 'namespaces')
SECRETS = kmock.resource('', 'v1', 'secrets')
CRDS = kmock.resource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')
BUILTIN = {  # resource: (kind, namespaced, short names, subresources)
    NAMESPACES: ('Namespace', False, ['ns'], ['status']),
    SECRETS: ('Secret', True, [], []),
    kmock.resource('', 'v1', 'configmaps'): ('ConfigMap', True, ['cm'], []),
    kmock.resource('', 'v1', 'events'): ('Event', True, ['ev'], []),
    kmock.resource('events.k8s.io', 'v1', 'events'): ('Event', True, ['ev'], []),
    kmock.resource('coordination.k8s.io', 'v1', 'leases'): ('Lease', True, [], []),
    CRDS: ('CustomResourceDefinition', False, ['crd', 'crds'], ['status']),
}
# Watch events kept; watching from an older resourceVersion gives 410 Expired.
LOG_SIZE = int(os.environ.get('KUBE_EMULATOR_WATCH_LOG', 100_000))

_kmock_parse_path = parsing.parse_path


def _parse_path(path):
    """kmock reads `/api/v1/namespaces/NAME` as the namespace NAME without a resource (and fails on the
    bare `/api/v1/namespaces`): read these as the namespaces resource itself."""
    match = re.fullmatch(r'/(?:api|apis/([^/]+))/([^/]+)/namespaces(?:/([^/]+)(?:/(status|finalize))?)?/?', path)
    if match:
        return parsing.ParsedPath(match[1] or '', match[2], 'namespaces', None, match[3], match[4])
    return _kmock_parse_path(path)


parsing.parse_path = _parse_path


def error(code, message, reason=None, **details):
    return kmock.KubernetesError(status=code, reason=reason or REASONS[code], message=message, details=details)


def header(request, name):
    return next((value for key, value in request.headers.items() if key.lower() == name.lower()), '')


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def api_version(res):
    return f'{res.group}/{res.version}' if res.group else res.version


def qualified(res):
    return f'{res.plural}.{res.group}' if res.group else res.plural


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch (null deletes, dicts merge, anything else replaces)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def leaf_paths(obj, prefix=()):
    for key, value in obj.items():
        if isinstance(value, dict) and value:
            yield from leaf_paths(value, prefix + (key,))
        else:
            yield prefix + (key,)


def structural(obj, schema, embedded=True):
    """What a real server does with a custom resource's openAPIV3Schema before storing it: prune unknown
    fields and null fields that are not nullable, then fill in defaults (no validation)."""
    if isinstance(obj, dict) and isinstance(schema, dict):
        properties, extra = schema.get('properties') or {}, schema.get('additionalProperties')
        keep_unknown = schema.get('x-kubernetes-preserve-unknown-fields') or extra is True
        for key in list(obj):
            if embedded and key in ('apiVersion', 'kind', 'metadata'):
                continue
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            if sub is None:
                if not keep_unknown:
                    del obj[key]
            elif obj[key] is None and not sub.get('nullable'):
                del obj[key]
            else:
                structural(obj[key], sub, sub.get('x-kubernetes-embedded-resource', False))
        for key, sub in properties.items():
            if key not in obj and 'default' in sub:
                obj[key] = copy.deepcopy(sub['default'])
                structural(obj[key], sub, sub.get('x-kubernetes-embedded-resource', False))
    elif isinstance(obj, list) and isinstance(schema, dict) and isinstance(schema.get('items'), dict):
        for item in obj:
            structural(item, schema['items'], schema['items'].get('x-kubernetes-embedded-resource', False))


def lookup(obj, dotted):
    for part in dotted.split('.'):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return '' if obj is None else json.dumps(obj) if isinstance(obj, bool) else str(obj)


class Selector:
    """labelSelector and fieldSelector of a list, watch or delete-collection request."""

    def __init__(self, params):
        self.labels, self.fields = [], []
        for term in re.split(r',(?![^()]*\))', params.get('labelSelector', '')):
            term = term.strip()
            if match := re.fullmatch(r'([^\s!=()]+)\s+(in|notin)\s+\(([^()]*)\)', term):
                self.labels.append((match[1], {v.strip() for v in match[3].split(',')}, match[2] == 'in'))
            elif match := re.fullmatch(r'([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=()]*)', term):
                self.labels.append((match[1], {match[3]}, match[2] != '!='))
            elif match := re.fullmatch(r'(!?)\s*([^\s!=()]+)', term):
                self.labels.append((match[2], None, not match[1]))
            elif term:
                raise error(400, f'unable to parse requirement: {term!r}')
        for term in params.get('fieldSelector', '').split(','):
            if match := re.fullmatch(r'\s*([\w.-]+)\s*(==|=|!=)\s*([^,]*?)\s*', term):
                self.fields.append((match[1], match[2] != '!=', match[3]))
            elif term.strip():
                raise error(400, f'invalid field selector: {term!r}')

    def __call__(self, obj):
        labels = obj.get('metadata', {}).get('labels') or {}
        for key, values, wanted in self.labels:  # values None: only whether the label exists
            if (key in labels and (values is None or labels[key] in values)) != wanted:
                return False
        return all((lookup(obj, path) == value) == equal for path, equal, value in self.fields)


@attrs.define(kw_only=True)
class KubeApiServer(kmock.KubernetesEmulator):
    _rv: int = attrs.field(default=0, init=False)  # the last resourceVersion given out
    _log: list = attrs.field(factory=list, init=False)  # (rv, resource, type, object, previous object)
    _expired: int = attrs.field(default=0, init=False)  # the newest resourceVersion dropped from the log
    _changed: asyncio.Event = attrs.field(factory=asyncio.Event, init=False)  # replaced on each change
    _applied: dict = attrs.field(factory=dict, init=False)  # (res, ns, name, manager, sub) -> last applied
    _custom: dict = attrs.field(factory=dict, init=False)  # resources declared by CRDs -> openAPIV3Schema
    # Indexes for lists, watches' initial objects and selectors (kmock's store is one flat mapping, so
    # a list would otherwise look at every object of every resource): the keys of each resource's
    # objects, and the keys of each resource's objects by label (key, value).
    _keys: dict = attrs.field(factory=dict, init=False)  # res -> {object key: None}
    _labelled: dict = attrs.field(factory=dict, init=False)  # (res, label, value) -> {object key: None}
    closing: bool = attrs.field(default=False, init=False)  # ends the open watches

    def __attrs_post_init__(self):
        super().__attrs_post_init__()
        for res, (kind, namespaced, short_names, subresources) in BUILTIN.items():
            self.resources[res] = kmock.ResourceInfo(kind=kind, namespaced=namespaced, singular=kind.lower(),
                                                     verbs=VERBS, shortnames=short_names, subresources=subresources)
        for name in ('default', 'kube-system', 'kube-public', 'kube-node-lease'):
            self.create(NAMESPACES, None, {'metadata': {'name': name}})

    def load_crds(self, path):
        with open(path, encoding='utf-8') as file:
            for doc in yaml.safe_load_all(file):
                if isinstance(doc, dict) and doc.get('kind') == 'CustomResourceDefinition':
                    self.create(CRDS, None, doc)

    # --- HTTP ------------------------------------------------------------------------------------

    async def _handle(self, request):
        if os.environ.get('KUBE_EMULATOR_LOG'):
            print(f'{request.method.value} {request.url.path_qs}', file=sys.stderr, flush=True)
        if request.resource is None or not request.resource.plural:
            return await self._serve_other(request)
        res, ns, name, sub = request.resource, request.namespace, request.name, request.subresource
        info = self.resources[res] if res in self.resources else None
        if info is None or (ns and not info.namespaced) or (name and info.namespaced and not ns) \
                or (sub and (not name or sub not in info.subresources)):
            raise error(404, 'the server could not find the requested resource')
        params, method = request.params, request.method.value
        dry_run = params.get('dryRun') == 'All'
        view = self._view(header(request, 'Accept'))
        if method == 'GET' and params.get('watch') in ('true', '1'):
            if name:  # the deprecated single-object watch
                params = dict(params, fieldSelector=','.join(filter(None, [params.get('fieldSelector'),
                                                                           f'metadata.name={name}'])))
            return await self._watch(request, res, ns, params, view)
        if method == 'GET' and name:
            return aiohttp.web.json_response(view(self._require(res, ns, name)))
        if method == 'GET':
            result = self.list(res, ns, params)
            return aiohttp.web.json_response(view(result, list_kind='PartialObjectMetadataList'))
        if method == 'POST' and not name:
            return aiohttp.web.json_response(self.create(res, ns, self._json(request), dry_run), status=201)
        if method == 'PUT' and name:
            return aiohttp.web.json_response(self.replace(res, ns, name, self._json(request), sub, dry_run))
        if method == 'PATCH' and name:
            content_type = header(request, 'Content-Type').split(';')[0].strip()
            return aiohttp.web.json_response(self.patch(res, ns, name, sub, content_type, request.text, params))
        if method == 'DELETE':
            options = self._json(request) if request.body.strip() else {}
            if name:
                return aiohttp.web.json_response(self.delete(res, ns, name, options, dry_run))
            items = []
            for obj in self._objects_of(res, ns, Selector(params)):
                result = self.delete(res, obj['metadata'].get('namespace'), obj['metadata']['name'], options, dry_run)
                items.append(obj if result['kind'] == 'Status' else result)
            return aiohttp.web.json_response({**self.list(res, ns, {}), 'items': items})
        raise error(405, 'the server does not allow this method on the requested resource')

    async def _serve_other(self, request):
        path = request.url.path.rstrip('/') or '/'
        if path in ('/api', '/apis') and 'as=APIGroupDiscoveryList' in header(request, 'Accept'):
            body = json.dumps(self._aggregated_discovery(core=path == '/api')).encode()
            ctype = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
            return aiohttp.web.Response(body=body, headers={'Content-Type': ctype})
        if path in ('/healthz', '/livez', '/readyz'):
            return aiohttp.web.Response(text='ok')
        return await super()._handle(request)  # kmock: /version, /api, /apis, /apis/G, /apis/G/V; else 404

    async def _render_error(self, exc):
        if not isinstance(exc, kmock.KubernetesError):
            traceback.print_exception(exc, file=sys.stderr)
            exc = error(500, repr(exc))
        elif not re.fullmatch(r'[A-Za-z]+', exc.reason or ''):  # kmock's own, e.g. 'Endpoint Not Found'
            exc = error(exc.status, 'the server could not find the requested resource' if exc.status == 404
                        else exc.message, reason=REASONS.get(exc.status, 'Unknown'))
        return aiohttp.web.json_response({
            'apiVersion': 'v1', 'kind': 'Status', 'metadata': {}, 'status': 'Failure', 'code': exc.status,
            'reason': exc.reason, 'message': exc.message, 'details': exc.details or {},
        }, status=exc.status)

    async def _serve_api(self, request):
        address = f'{request.url.host}:{request.url.port}'
        return {'kind': 'APIVersions', 'versions': ['v1'],
                'serverAddressByClientCIDRs': [{'clientCIDR': '0.0.0.0/0', 'serverAddress': address}]}

    async def _serve_version(self, request):
        result = await super()._serve_version(request)
        result['groupVersion'] = api_version(request.resource)  # kmock says "/v1" for the core group
        for resource in result['resources']:
            resource['verbs'] = ['get', 'patch', 'update'] if '/' in resource['name'] else sorted(resource['verbs'])
        return result

    def _aggregated_discovery(self, core):
        groups = {}
        for res in self.resources:
            if (res.group == '') == core:
                info = self.resources[res]
                kind = {'group': res.group, 'version': res.version, 'kind': info.kind}
                groups.setdefault(res.group, {}).setdefault(res.version, []).append({
                    'resource': res.plural, 'responseKind': kind, 'singularResource': info.singular,
                    'scope': 'Namespaced' if info.namespaced else 'Cluster', 'verbs': sorted(info.verbs),
                    'shortNames': sorted(info.shortnames), 'categories': sorted(info.categories),
                    'subresources': [{'subresource': sub, 'responseKind': kind, 'verbs': ['get', 'patch', 'update']}
                                     for sub in sorted(info.subresources)]})
        return {'apiVersion': 'apidiscovery.k8s.io/v2', 'kind': 'APIGroupDiscoveryList', 'metadata': {}, 'items': [
            {'metadata': {'name': group}, 'versions': [
                {'version': version, 'resources': resources, 'freshness': 'Current'}
                for version, resources in versions.items()]}
            for group, versions in groups.items()]}

    @staticmethod
    def _view(accept):
        """The full objects, or PartialObjectMetadata when the client asks for metadata only."""
        def full(obj, list_kind=None):
            return obj

        def metadata(obj, list_kind=None):
            if list_kind:
                return {**obj, 'apiVersion': 'meta.k8s.io/v1', 'kind': list_kind,
                        'items': [metadata(item) for item in obj['items']]}
            return {'apiVersion': 'meta.k8s.io/v1', 'kind': 'PartialObjectMetadata', 'metadata': obj['metadata']}
        preferred = accept.split(',')[0]
        return metadata if 'as=PartialObjectMetadata' in preferred else full

    @staticmethod
    def _json(request):
        content_type = header(request, 'Content-Type').split(';')[0].strip()
        if content_type not in ('', 'application/json', 'application/yaml'):  # e.g. protobuf from kubectl
            raise error(415, f'the body of the request was in an unknown format - accepted media types include: '
                             f'application/json, application/yaml')
        if content_type == 'application/yaml':
            try:
                return yaml.safe_load(request.text)
            except yaml.YAMLError as exc:
                raise error(400, f'the body of the request is not valid YAML: {exc}')
        try:
            return json.loads(request.body)
        except ValueError as exc:
            raise error(400, f'the body of the request is not valid JSON: {exc}')

    # --- the store -------------------------------------------------------------------------------

    def _current(self, res, ns, name):
        key = (res, ns, name)
        return None if key not in self.objects or self.objects[key].deleted else self.objects[key].raw

    def _require(self, res, ns, name):
        obj = self._current(res, ns, name)
        if obj is None:
            raise error(404, f'{qualified(res)} "{name}" not found', name=name, group=res.group, kind=res.plural)
        return obj

    def _objects_of(self, res, ns, selector):
        keys = self._keys.get(res, {})
        for label, values, wanted in selector.labels:  # a required label value narrows the candidates
            if wanted and values is not None and len(values) == 1:
                keys = self._labelled.get((res, label, next(iter(values))), {})
                break
        found = []
        for key in keys:
            if ns in (None, key[1]) and not (obj := self.objects[key]).deleted and selector(raw := obj.raw):
                found.append(raw)
        return sorted(found, key=lambda obj: (obj['metadata'].get('namespace', ''), obj['metadata']['name']))

    def _index(self, res, key, old, new):
        """Keep `_keys` and `_labelled` in step with a write of `key` from `old` to `new` (None: absent)."""
        self._keys.setdefault(res, {})[key] = None
        old_labels = ((old or {}).get('metadata') or {}).get('labels') or {}
        new_labels = ((new or {}).get('metadata') or {}).get('labels') or {}
        for label, value in old_labels.items():
            if new_labels.get(label) != value:
                self._labelled.get((res, label, value), {}).pop(key, None)
        for label, value in new_labels.items():
            self._labelled.setdefault((res, label, value), {})[key] = None

    def _store(self, res, obj, old, event):
        """Write a new version (or the deletion) under a new resourceVersion and log it for watches."""
        meta = obj['metadata']
        key = (res, meta.get('namespace'), meta['name'])
        self._rv += 1
        meta['resourceVersion'] = str(self._rv)
        if key in self.objects:
            self.objects[key].history.append(obj)
        else:
            self.objects[key] = obj
        self._index(res, key, old, None if event == 'DELETED' else obj)
        if event == 'DELETED':
            self.objects[key].delete()
            self._applied = {k: v for k, v in self._applied.items() if k[:3] != key}
        self._log.append((self._rv, res, event, obj, old))
        if len(self._log) > LOG_SIZE:
            self._expired = self._log[LOG_SIZE // 10][0]
            del self._log[:LOG_SIZE // 10 + 1]
        self._changed.set()
        self._changed = asyncio.Event()
        if res == CRDS:
            self._crd_changed(old, None if event == 'DELETED' else obj)
        return obj

    def _crd_changed(self, old, new):
        """Serve the resources of a CRD from its creation until its deletion."""
        def resources(crd):
            spec = (crd or {}).get('spec', {})
            return {kmock.resource(spec['group'], version['name'], spec['names']['plural']): (spec, version)
                    for version in spec.get('versions', []) if version.get('served', True)}
        gone, declared = resources(old), resources(new)
        for res in set(gone) - set(declared):
            for obj in self._objects_of(res, None, Selector({})):
                self._store(res, copy.deepcopy(obj), obj, 'DELETED')
            for key in [key for key in self.objects if key[0] == res]:
                del self.objects[key]
            self._keys.pop(res, None)
            self._labelled = {k: v for k, v in self._labelled.items() if k[0] != res}
            del self.resources[res]
            del self._custom[res]
        for res, (spec, version) in declared.items():
            names = spec['names']
            self.resources[res] = kmock.ResourceInfo(
                kind=names['kind'], namespaced=spec.get('scope') == 'Namespaced', verbs=VERBS,
                singular=names.get('singular') or names['kind'].lower(), shortnames=names.get('shortNames', []),
                categories=names.get('categories', []), subresources=version.get('subresources') or {})
            self._custom[res] = (version.get('schema') or {}).get('openAPIV3Schema')

    def _fixups(self, res, obj):
        """What the real server's registries fill in by themselves."""
        if self._custom.get(res):
            structural(obj, self._custom[res])
        if res == SECRETS and 'stringData' in obj:
            obj['data'] = {**(obj.get('data') or {}), **{key: base64.b64encode(value.encode()).decode()
                                                         for key, value in (obj.pop('stringData') or {}).items()}}
        if res == NAMESPACES:
            obj['status'] = {'phase': 'Terminating' if obj['metadata'].get('deletionTimestamp') else 'Active'}
        if res == CRDS:
            spec, since = obj.get('spec') or {}, obj['metadata']['creationTimestamp']
            names = spec.get('names') or {}
            if not (spec.get('group') and names.get('plural') and names.get('kind') and spec.get('versions')):
                raise error(422, 'spec.group, spec.names.plural, spec.names.kind and spec.versions are required')
            obj['status'] = {
                'conditions': [
                    {'type': 'NamesAccepted', 'status': 'True', 'reason': 'NoConflicts',
                     'message': 'no conflicts found', 'lastTransitionTime': since},
                    {'type': 'Established', 'status': 'True', 'reason': 'InitialNamesAccepted',
                     'message': 'the initial names have been accepted', 'lastTransitionTime': since}],
                'acceptedNames': spec.get('names', {}),
                'storedVersions': [v['name'] for v in spec.get('versions', []) if v.get('storage')]}

    # --- the verbs -------------------------------------------------------------------------------

    def list(self, res, ns, params):
        items = self._objects_of(res, ns, Selector(params))
        try:
            start, limit = int(params.get('continue') or 0), int(params.get('limit') or 0)
        except ValueError:
            raise error(400, 'invalid limit or continue token')
        meta = {'resourceVersion': str(self._rv)}
        if limit and start + limit < len(items):
            meta.update({'continue': str(start + limit), 'remainingItemCount': len(items) - start - limit})
        items = items[start:start + limit] if limit else items[start:]
        kind = self.resources[res].kind + 'List'
        return {'apiVersion': api_version(res), 'kind': kind, 'metadata': meta, 'items': items}

    def create(self, res, ns, body, dry_run=False):
        info = self.resources[res]
        obj = copy.deepcopy(body) if isinstance(body, dict) else None
        if obj is None or not isinstance(obj.setdefault('metadata', {}), dict):
            raise error(400, 'the body must be a JSON object with metadata')
        meta = obj['metadata']
        if not meta.get('name') and meta.get('generateName'):
            meta['name'] = meta['generateName'] + ''.join(random.choices(string.ascii_lowercase + string.digits, k=5))
        if not meta.get('name'):
            raise error(422, 'metadata.name: Required value: name or generateName is required')
        if info.namespaced:
            if ns and meta.get('namespace') not in (None, '', ns):
                raise error(400, 'the namespace of the provided object does not match the namespace sent on '
                                 'the request')
            meta['namespace'] = ns = ns or meta.get('namespace') or 'default'
        else:
            meta.pop('namespace', None)
            ns = None
        if self._current(res, ns, meta['name']) is not None:
            raise error(409, f'{qualified(res)} "{meta["name"]}" already exists', reason='AlreadyExists',
                        name=meta['name'], group=res.group, kind=res.plural)
        for key in ('resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields'):
            meta.pop(key, None)
        meta.update(uid=str(uuid.uuid4()), creationTimestamp=now(), generation=1)
        obj = {'apiVersion': api_version(res), 'kind': info.kind, **obj}
        obj.update(apiVersion=api_version(res), kind=info.kind)
        if 'status' in info.subresources:
            obj.pop('status', None)
        self._fixups(res, obj)
        return obj if dry_run else self._store(res, obj, None, 'ADDED')

    def replace(self, res, ns, name, body, sub, dry_run=False):
        old = self._require(res, ns, name)
        if not isinstance(body, dict) or not isinstance(body.get('metadata', {}), dict):
            raise error(400, 'the body must be a JSON object')
        meta = body.get('metadata', {})
        if meta.get('name') not in (None, name):
            raise error(400, f'the name of the object ({meta["name"]}) does not match the name on the URL ({name})')
        if not meta.get('resourceVersion') and res in self._custom:
            raise error(422, 'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update')
        self._check_version(res, name, old, meta.get('resourceVersion'))
        return self._update(res, old, copy.deepcopy(body), sub, dry_run)

    def patch(self, res, ns, name, sub, content_type, text, params):
        dry_run = params.get('dryRun') == 'All'
        if content_type == 'application/apply-patch+yaml':
            return self._apply(res, ns, name, sub, text, params, dry_run)
        old = self._require(res, ns, name)
        try:
            body = json.loads(text)
        except ValueError as exc:
            raise error(400, f'the patch is not valid JSON: {exc}')
        if content_type == 'application/strategic-merge-patch+json' and res in self._custom:
            content_type = 'custom resources take no strategic merge patch'  # a 415, as on a real server
        if content_type in ('application/merge-patch+json', 'application/strategic-merge-patch+json'):
            if not isinstance(body, dict):
                raise error(400, 'a merge patch must be a JSON object')
            new = merge_patch(copy.deepcopy(old), body)
        elif content_type == 'application/json-patch+json':
            if not isinstance(body, list):
                raise error(400, 'a JSON patch must be a JSON array')
            # Kubernetes' JSON patch reads a missing path as null: `test` for null passes there.
            body = [op for op in body if not (
                isinstance(op, dict) and op.get('op') == 'test' and op.get('value') is None
                and jsonpointer.resolve_pointer(old, op.get('path', ''), None) is None)]
            try:
                new = jsonpatch.apply_patch(old, body)
            except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as exc:
                raise error(422, f'the JSON patch could not be applied: {exc}')
        else:
            raise error(415, f'the body of the request was in an unknown format - accepted media types include: '
                             f'application/json-patch+json, application/merge-patch+json, '
                             f'application/apply-patch+yaml, application/strategic-merge-patch+json')
        if not isinstance(new, dict) or not isinstance(new.get('metadata'), dict):
            raise error(422, 'the patched object is not a valid object')
        self._check_version(res, name, old, new['metadata'].get('resourceVersion'))
        return self._update(res, old, new, sub, dry_run)

    def _apply(self, res, ns, name, sub, text, params, dry_run):
        manager = params.get('fieldManager')
        if not manager:
            raise error(400, 'PATCH /: fieldManager is required for apply requests')
        try:
            body = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise error(400, f'the apply configuration is not valid YAML: {exc}')
        if not isinstance(body, dict) or not body.get('apiVersion') or not body.get('kind'):
            raise error(400, 'the apply configuration must be an object with apiVersion and kind')
        meta = body.get('metadata') or {}
        if meta.get('name') not in (None, name):
            raise error(400, f'the name of the object ({meta["name"]}) does not match the name on the URL ({name})')
        key = (res, ns, name, manager, sub)
        old = self._current(res, ns, name)
        if old is None:
            if sub:
                self._require(res, ns, name)
            result = self.create(res, ns, merge_patch({}, {**body, 'metadata': {**meta, 'name': name}}), dry_run)
        else:
            self._check_version(res, name, old, meta.get('resourceVersion'))
            new = copy.deepcopy(old)
            kept = set(leaf_paths(body)) | {('metadata', 'name'), ('metadata', 'namespace')}
            for path in set(leaf_paths(self._applied.get(key, {}))) - kept:  # the manager gave these up
                parent = new
                for part in path[:-1]:
                    parent = parent.get(part) if isinstance(parent, dict) else None
                if isinstance(parent, dict):
                    parent.pop(path[-1], None)
            result = self._update(res, old, merge_patch(new, body), sub, dry_run)
        if not dry_run:
            self._applied[key] = body
        return result

    def _check_version(self, res, name, old, rv):
        if rv and rv != old['metadata']['resourceVersion']:
            raise error(409, f'Operation cannot be fulfilled on {qualified(res)} "{name}": the object has been '
                             f'modified; please apply your changes to the latest version and try again',
                        name=name, group=res.group, kind=res.plural)

    def _update(self, res, old, new, sub, dry_run):
        """Store `new` in place of `old`, keeping what a client cannot change through this URL."""
        info = self.resources[res]
        if not isinstance(new.get('metadata'), dict):
            new['metadata'] = {}
        if 'status' in info.subresources:
            status = (new if sub == 'status' else old).get('status')
            if sub == 'status':
                new = copy.deepcopy(old)
            new.pop('status', None)
            if status is not None:
                new['status'] = copy.deepcopy(status)
        meta, old_meta = new['metadata'], old['metadata']
        for key in ('name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp',
                    'deletionGracePeriodSeconds', 'generation', 'resourceVersion'):
            if key in old_meta:
                meta[key] = old_meta[key]
            else:
                meta.pop(key, None)
        new.update(apiVersion=old['apiVersion'], kind=old['kind'])
        self._fixups(res, new)
        if meta.get('deletionTimestamp') and set(meta.get('finalizers') or []) - set(old_meta.get('finalizers') or []):
            raise error(422, 'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being '
                             'deleted')
        if new == old:
            return old  # a no-op: no new resourceVersion, no event
        ignored = {'metadata', 'status'} if 'status' in info.subresources else {'metadata'}
        if {k: v for k, v in new.items() if k not in ignored} != {k: v for k, v in old.items() if k not in ignored}:
            meta['generation'] = old_meta.get('generation', 0) + 1
        if dry_run:
            return new
        if meta.get('deletionTimestamp') and not meta.get('finalizers'):
            return self._store(res, new, old, 'DELETED')  # the last finalizer is gone
        return self._store(res, new, old, 'MODIFIED')

    def delete(self, res, ns, name, options, dry_run=False):
        old = self._require(res, ns, name)
        preconditions = (options if isinstance(options, dict) else {}).get('preconditions') or {}
        if preconditions.get('uid') not in (None, old['metadata']['uid']):
            raise error(409, f'Precondition failed: UID in precondition: {preconditions["uid"]}, '
                             f'UID in object meta: {old["metadata"]["uid"]}',
                        name=name, group=res.group, kind=res.plural)
        self._check_version(res, name, old, preconditions.get('resourceVersion'))
        if old['metadata'].get('finalizers'):
            if old['metadata'].get('deletionTimestamp'):
                return old
            new = copy.deepcopy(old)
            new['metadata'].update(deletionTimestamp=now(), deletionGracePeriodSeconds=0,
                                   generation=old['metadata'].get('generation', 0) + 1)
            self._fixups(res, new)
            return new if dry_run else self._store(res, new, old, 'MODIFIED')
        if not dry_run:
            self._store(res, copy.deepcopy(old), old, 'DELETED')
        return {'apiVersion': 'v1', 'kind': 'Status', 'metadata': {}, 'status': 'Success',
                'details': {'name': name, 'group': res.group, 'kind': res.plural, 'uid': old['metadata']['uid']}}

    async def _watch(self, request, res, ns, params, view):
        selector = Selector(params)
        since, initial = params.get('resourceVersion', ''), params.get('sendInitialEvents') == 'true'
        if not re.fullmatch(r'\d*', since) or not re.fullmatch(r'\d*', params.get('timeoutSeconds', '')):
            raise error(400, 'invalid resourceVersion or timeoutSeconds')
        timeout = int(params['timeoutSeconds']) if params.get('timeoutSeconds') else None
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        raw = request._raw_request
        response = aiohttp.web.StreamResponse(headers={'Content-Type': 'application/json'})
        await response.prepare(raw)

        async def send(kind, obj):
            await response.write(json.dumps({'type': kind, 'object': obj}).encode() + b'\n')

        try:
            if since in ('', '0') or initial:
                since = self._rv
                for obj in self._objects_of(res, ns, selector):  # a snapshot: later changes come from the log
                    await send('ADDED', view(obj))
                if initial:
                    await send('BOOKMARK', {'apiVersion': api_version(res), 'kind': self.resources[res].kind,
                                            'metadata': {'resourceVersion': str(since),
                                                         'annotations': {'k8s.io/initial-events-end': 'true'}}})
            since = int(since)
            while not self.closing:
                if since < self._expired:
                    await send('ERROR', {'apiVersion': 'v1', 'kind': 'Status', 'metadata': {}, 'status': 'Failure',
                                         'code': 410, 'reason': 'Expired',
                                         'message': f'too old resource version: {since} ({self._expired + 1})'})
                    break
                changed = self._changed
                start = bisect.bisect_right(self._log, since, key=lambda entry: entry[0])
                for rv, event_res, kind, obj, old in self._log[start:]:
                    since = rv
                    if event_res != res or ns not in (None, obj['metadata'].get('namespace')):
                        continue
                    now_in, was_in = selector(obj), old is not None and selector(old)
                    if kind == 'DELETED' or not now_in:  # gone, or no longer selected
                        kind = 'DELETED' if was_in or (kind == 'DELETED' and now_in) else None
                    elif kind == 'MODIFIED' and not was_in:  # selected from now on
                        kind = 'ADDED'
                    if kind:
                        await send(kind, view(obj))
                left = 1.0 if deadline is None else min(1.0, deadline - loop.time())
                if left <= 0 or raw.transport is None or raw.transport.is_closing():
                    break
                if start == len(self._log):  # nothing new: wait for a change, at most a second
                    try:
                        await asyncio.wait_for(changed.wait(), left)
                    except asyncio.TimeoutError:
                        pass
            await response.write_eof()
        except ConnectionError:
            pass  # the client went away
        return response


async def serve(host, port, crd_files):
    emulator = KubeApiServer()
    for path in crd_files:
        emulator.load_crds(path)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    async with emulator, kmock.Server(emulator, host, port):
        print('ready', flush=True)
        await stop.wait()
        emulator.closing = True
        await asyncio.sleep(1.5)  # let the watches end


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__.split('\n\n')[1])
    asyncio.run(serve(sys.argv[1], int(sys.argv[2]), sys.argv[3:]))
