"""Self-test of the emulated Kubernetes API server (kube_apiserver.py), stdlib only.

Starts the emulator on a free loopback port with two CRDs shaped like the operator's (ProfileJob,
namespaced; ProfilerRuntime, cluster-scoped; both with the status subresource) and checks every
behaviour the operator's kube-rs client relies on. When `kubectl` is on PATH (or named by $KUBECTL),
a few kubectl commands are run against it too.

Usage: .venv/bin/python tests/emulators/test_kube_apiserver.py   (unittest; KUBECTL=/path/to/kubectl optional)
"""

import http.client
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CRDS = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: profilejobs.profiler.dev}
spec:
  group: profiler.dev
  names: {kind: ProfileJob, plural: profilejobs, singular: profilejob, shortNames: [pj]}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources: {status: {}}
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: profilerruntimes.profiler.dev}
spec:
  group: profiler.dev
  names: {kind: ProfilerRuntime, plural: profilerruntimes, singular: profilerruntime}
  scope: Cluster
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources: {status: {}}
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
"""
GV = '/apis/profiler.dev/v1alpha1'
JOBS = f'{GV}/namespaces/default/profilejobs'
RUNTIMES = f'{GV}/profilerruntimes'
CONFIGMAPS = '/api/v1/namespaces/default/configmaps'
MERGE = 'application/merge-patch+json'
JSON_PATCH = 'application/json-patch+json'
APPLY = 'application/apply-patch+yaml'


def start_server(crd_file, **env):
    """The emulator as a subprocess on a free port, once it printed `ready`."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, os.path.join(HERE, 'kube_apiserver.py'), '127.0.0.1', str(port),
                               crd_file], stdout=subprocess.PIPE, text=True, env={**os.environ, **env})
    ready = queue.Queue()
    threading.Thread(target=lambda: ready.put(server.stdout.readline()), daemon=True).start()
    assert ready.get(timeout=30) == 'ready\n', 'the emulator did not print ready'
    return server, port


def stop_server(server):
    server.terminate()
    server.wait(timeout=10)
    server.stdout.close()


def setUpModule():
    global SERVER, PORT, TMP
    TMP = tempfile.TemporaryDirectory()
    with open(os.path.join(TMP.name, 'crds.yaml'), 'w') as file:
        file.write(CRDS)
    SERVER, PORT = start_server(os.path.join(TMP.name, 'crds.yaml'))


def tearDownModule():
    stop_server(SERVER)
    TMP.cleanup()


def call(method, path, body=None, ctype='application/json', headers=None):
    conn = http.client.HTTPConnection('127.0.0.1', PORT, timeout=10)
    data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
    conn.request(method, path, body=data, headers={'Content-Type': ctype, **(headers or {})})
    response = conn.getresponse()
    text = response.read()
    conn.close()
    return response.status, json.loads(text) if text else None


def ok(method, path, body=None, ctype='application/json', expect=(200, 201), headers=None):
    status, result = call(method, path, body, ctype, headers)
    assert status in expect, (status, result)
    return result


class Watch:
    """A watch request read on a thread; `next()` gives the next event (type, object)."""

    def __init__(self, path, **params):
        self.events = queue.Queue()
        self.conn = http.client.HTTPConnection('127.0.0.1', PORT, timeout=30)
        query = urllib.parse.urlencode({'watch': 'true', **params})
        self.conn.request('GET', f'{path}?{query}')
        self.response = self.conn.getresponse()
        assert self.response.status == 200, self.response.status
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in self.response:
                event = json.loads(line)
                self.events.put((event['type'], event['object']))
        except Exception:  # http.client fails in various ways once close() shut the socket down
            pass
        self.events.put(('END', None))

    def next(self, timeout=5):
        return self.events.get(timeout=timeout)

    def expect_nothing(self, seconds=0.5):
        try:
            event = self.events.get(timeout=seconds)
        except queue.Empty:
            return
        raise AssertionError(f'unexpected event {event}')

    def close(self):
        try:
            self.conn.sock.shutdown(socket.SHUT_RDWR)  # wakes the reading thread, which holds the response
        except OSError:
            pass
        self.conn.close()


def job(name, labels=None, **spec):
    return {'apiVersion': 'profiler.dev/v1alpha1', 'kind': 'ProfileJob',
            'metadata': {'name': name, 'labels': labels or {}}, 'spec': spec or {'table': name}}


class Discovery(unittest.TestCase):
    def test_core(self):
        self.assertEqual(ok('GET', '/api')['versions'], ['v1'])
        resources = {r['name']: r for r in ok('GET', '/api/v1')['resources']}
        self.assertEqual(ok('GET', '/api/v1')['groupVersion'], 'v1')
        for name in ('namespaces', 'secrets', 'events', 'configmaps'):
            self.assertIn('watch', resources[name]['verbs'])
        self.assertFalse(resources['namespaces']['namespaced'])
        self.assertTrue(resources['secrets']['namespaced'])

    def test_groups(self):
        groups = {g['name']: g for g in ok('GET', '/apis')['groups']}
        for group, version, plural, kind in [('events.k8s.io', 'v1', 'events', 'Event'),
                                             ('coordination.k8s.io', 'v1', 'leases', 'Lease'),
                                             ('apiextensions.k8s.io', 'v1', 'customresourcedefinitions',
                                              'CustomResourceDefinition'),
                                             ('profiler.dev', 'v1alpha1', 'profilejobs', 'ProfileJob'),
                                             ('profiler.dev', 'v1alpha1', 'profilerruntimes', 'ProfilerRuntime')]:
            self.assertEqual(groups[group]['preferredVersion']['version'], version)
            self.assertEqual(ok('GET', f'/apis/{group}')['name'], group)
            resources = {r['name']: r for r in ok('GET', f'/apis/{group}/{version}')['resources']}
            self.assertEqual(resources[plural]['kind'], kind)
        resources = {r['name']: r for r in ok('GET', GV)['resources']}
        self.assertTrue(resources['profilejobs']['namespaced'])
        self.assertFalse(resources['profilerruntimes']['namespaced'])
        self.assertIn('profilejobs/status', resources)
        self.assertIn('profilerruntimes/status', resources)
        self.assertEqual(call('GET', '/apis/nope.dev/v1')[0], 404)

    def test_aggregated(self):
        accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'
        result = ok('GET', '/apis', headers={'Accept': accept})
        self.assertEqual(result['kind'], 'APIGroupDiscoveryList')
        groups = {g['metadata']['name']: g for g in result['items']}
        jobs = {r['resource']: r for r in groups['profiler.dev']['versions'][0]['resources']}['profilejobs']
        self.assertEqual((jobs['scope'], jobs['subresources'][0]['subresource']), ('Namespaced', 'status'))
        core = ok('GET', '/api', headers={'Accept': accept})['items'][0]['versions'][0]['resources']
        self.assertIn('namespaces', [r['resource'] for r in core])

    def test_version_and_health(self):
        self.assertIn('gitVersion', ok('GET', '/version'))
        conn = http.client.HTTPConnection('127.0.0.1', PORT, timeout=10)
        conn.request('GET', '/healthz')
        self.assertEqual(conn.getresponse().read(), b'ok')
        conn.close()

    def test_crds_are_served_established(self):
        crd = ok('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/profilejobs.profiler.dev')
        conditions = {c['type']: c['status'] for c in crd['status']['conditions']}
        self.assertEqual(conditions['Established'], 'True')


class Objects(unittest.TestCase):
    def test_create_fills_metadata(self):
        created = ok('POST', JOBS, {**job('meta-1'), 'status': {'phase': 'Done'}})
        meta = created['metadata']
        self.assertEqual(meta['namespace'], 'default')
        self.assertEqual(meta['generation'], 1)
        self.assertTrue(meta['uid'] and meta['creationTimestamp'].endswith('Z') and meta['resourceVersion'])
        self.assertNotIn('status', created)  # status subresource: dropped on create
        again = ok('GET', f'{JOBS}/meta-1')
        self.assertEqual(again, created)
        second = ok('POST', JOBS, job('meta-2'))
        self.assertGreater(int(second['metadata']['resourceVersion']), int(meta['resourceVersion']))
        generated = ok('POST', JOBS, {'metadata': {'generateName': 'gen-'}, 'spec': {}})
        self.assertTrue(generated['metadata']['name'].startswith('gen-'))
        self.assertEqual(generated['kind'], 'ProfileJob')
        runtime = ok('POST', RUNTIMES, {'metadata': {'name': 'rt-1', 'namespace': 'x'}, 'spec': {}})
        self.assertNotIn('namespace', runtime['metadata'])

    def test_errors_are_status_objects(self):
        status, result = call('GET', f'{JOBS}/missing')
        self.assertEqual((status, result['kind'], result['reason'], result['code']), (404, 'Status', 'NotFound', 404))
        self.assertEqual(result['details']['name'], 'missing')
        ok('POST', JOBS, job('dup'))
        status, result = call('POST', JOBS, job('dup'))
        self.assertEqual((status, result['reason']), (409, 'AlreadyExists'))
        self.assertEqual(call('GET', f'{GV}/namespaces/default/profilerruntimes')[0], 404)
        self.assertEqual(call('GET', '/apis/profiler.dev/v1alpha1/namespaces/default/nothings')[1]['reason'],
                         'NotFound')
        for method, path in [('PUT', f'{JOBS}/missing'), ('PATCH', f'{JOBS}/missing'), ('DELETE', f'{JOBS}/missing'),
                             ('PATCH', f'{JOBS}/missing/status')]:
            status, result = call(method, path, {'metadata': {}}, MERGE if method == 'PATCH' else 'application/json')
            self.assertEqual((status, result['reason']), (404, 'NotFound'), (method, path))

    def test_selectors(self):
        for name, labels in [('sel-a', {'app': 'web', 'tier': 'front'}), ('sel-b', {'app': 'db'}),
                             ('sel-c', {'app': 'web'})]:
            ok('POST', JOBS, job(name, labels))

        def names(**params):
            items = ok('GET', f'{JOBS}?{urllib.parse.urlencode(params)}')['items']
            return sorted(i['metadata']['name'] for i in items if i['metadata']['name'].startswith('sel-'))
        self.assertEqual(names(labelSelector='app=web'), ['sel-a', 'sel-c'])
        self.assertEqual(names(labelSelector='app==web,tier'), ['sel-a'])
        self.assertEqual(names(labelSelector='app!=web'), ['sel-b'])
        self.assertEqual(names(labelSelector='app in (db, web),!tier'), ['sel-b', 'sel-c'])
        self.assertEqual(names(labelSelector='app notin (web)'), ['sel-b'])
        self.assertEqual(names(fieldSelector='metadata.name=sel-b'), ['sel-b'])
        self.assertEqual(names(fieldSelector='metadata.namespace=default,metadata.name!=sel-b',
                               labelSelector='app'), ['sel-a', 'sel-c'])
        self.assertEqual(names(fieldSelector='metadata.namespace=other'), [])
        everywhere = ok('GET', f'{GV}/profilejobs?fieldSelector=metadata.name%3Dsel-a')
        self.assertEqual([i['metadata']['name'] for i in everywhere['items']], ['sel-a'])

    def test_list_and_paging(self):
        for i in range(5):
            ok('POST', '/api/v1/namespaces/kube-public/configmaps', {'metadata': {'name': f'page-{i}'}, 'data': {}})
        first = ok('GET', '/api/v1/namespaces/kube-public/configmaps?limit=2')
        self.assertEqual((first['kind'], first['apiVersion']), ('ConfigMapList', 'v1'))
        self.assertTrue(first['metadata']['resourceVersion'])
        self.assertEqual(len(first['items']), 2)
        names = [i['metadata']['name'] for i in first['items']]
        token = first['metadata']['continue']
        while token:
            page = ok('GET', f'/api/v1/namespaces/kube-public/configmaps?limit=2&continue={token}')
            names += [i['metadata']['name'] for i in page['items']]
            token = page['metadata'].get('continue')
        self.assertEqual(names, [f'page-{i}' for i in range(5)])
        self.assertEqual(ok('GET', '/api/v1/namespaces/kube-public/configmaps?&limit=0')['items'][0]['kind'],
                         'ConfigMap')

    def test_replace(self):
        created = ok('POST', JOBS, job('put-1'))
        ok('PATCH', f'{JOBS}/put-1/status', {'status': {'phase': 'Running'}}, MERGE)
        current = ok('GET', f'{JOBS}/put-1')
        stale = {**current, 'spec': {'table': 'stale'}, 'metadata': created['metadata']}
        status, result = call('PUT', f'{JOBS}/put-1', stale)
        self.assertEqual((status, result['reason']), (409, 'Conflict'))
        replaced = ok('PUT', f'{JOBS}/put-1', {**current, 'spec': {'table': 'new'}, 'status': {'phase': 'Hacked'}})
        self.assertEqual(replaced['spec'], {'table': 'new'})
        self.assertEqual(replaced['status'], {'phase': 'Running'})  # main-resource writes keep status
        self.assertEqual(replaced['metadata']['generation'], 2)
        self.assertEqual(replaced['metadata']['uid'], created['metadata']['uid'])
        self.assertNotEqual(replaced['metadata']['resourceVersion'], current['metadata']['resourceVersion'])
        no_version = {**replaced, 'metadata': {'name': 'put-1'}}
        self.assertEqual(call('PUT', f'{JOBS}/put-1', no_version)[1]['reason'], 'Invalid')  # custom resources
        cm = ok('POST', CONFIGMAPS, {'metadata': {'name': 'put-cm'}, 'data': {'a': '1'}})
        replaced = ok('PUT', f'{CONFIGMAPS}/put-cm', {'metadata': {'name': 'put-cm'}, 'data': {'a': '2'}})
        self.assertEqual(replaced['data'], {'a': '2'})
        self.assertEqual(replaced['metadata']['creationTimestamp'], cm['metadata']['creationTimestamp'])
        current = ok('GET', f'{JOBS}/put-1')
        status_put = ok('PUT', f'{JOBS}/put-1/status', {**current, 'spec': {'ignored': True},
                                                         'status': {'phase': 'Done'}})
        self.assertEqual((status_put['spec'], status_put['status']), ({'table': 'new'}, {'phase': 'Done'}))
        self.assertEqual(status_put['metadata']['generation'], current['metadata']['generation'])

    def test_status_subresource(self):
        created = ok('POST', JOBS, job('st-1'))
        patched = ok('PATCH', f'{JOBS}/st-1/status', {'spec': {'table': 'x'}, 'metadata': {'labels': {'a': 'b'}},
                                                      'status': {'phase': 'Running'}}, MERGE)
        self.assertEqual(patched['status'], {'phase': 'Running'})
        self.assertEqual(patched['spec'], created['spec'])
        self.assertEqual(patched['metadata']['labels'], {})
        self.assertEqual(patched['metadata']['generation'], 1)  # status writes leave generation alone
        self.assertGreater(int(patched['metadata']['resourceVersion']), int(created['metadata']['resourceVersion']))
        main = ok('PATCH', f'{JOBS}/st-1', {'spec': {'table': 'y'}, 'status': {'phase': 'Ignored'}}, MERGE)
        self.assertEqual((main['spec'], main['status']), ({'table': 'y'}, {'phase': 'Running'}))
        self.assertEqual(main['metadata']['generation'], 2)
        labels = ok('PATCH', f'{JOBS}/st-1', {'metadata': {'labels': {'x': 'y'}}}, MERGE)
        self.assertEqual(labels['metadata']['generation'], 2)  # metadata changes leave generation alone
        same = ok('PATCH', f'{JOBS}/st-1/status', {'status': {'phase': 'Running'}}, MERGE)
        self.assertEqual(same['metadata']['resourceVersion'], labels['metadata']['resourceVersion'])  # no-op
        runtime = ok('POST', RUNTIMES, {'metadata': {'name': 'st-rt'}, 'spec': {'a': 1}})
        ok('PATCH', f'{RUNTIMES}/st-rt/status', {'status': {'ready': True}}, MERGE)
        self.assertEqual(ok('GET', f'{RUNTIMES}/st-rt')['status'], {'ready': True})
        self.assertEqual(runtime['metadata']['generation'], ok('GET', f'{RUNTIMES}/st-rt')['metadata']['generation'])
        self.assertEqual(call('PATCH', f'{CONFIGMAPS}/x/status', {}, MERGE)[0], 404)  # no such subresource

    def test_patch_kinds(self):
        ok('POST', JOBS, job('p-1', spec_a=1, spec_b={'c': 2, 'd': 3}))
        merged = ok('PATCH', f'{JOBS}/p-1', {'spec': {'spec_a': None, 'spec_b': {'c': 5}}}, MERGE)
        self.assertEqual(merged['spec'], {'spec_b': {'c': 5, 'd': 3}})
        rv = merged['metadata']['resourceVersion']
        status, result = call('PATCH', f'{JOBS}/p-1', {'metadata': {'resourceVersion': '1'}, 'spec': {}}, MERGE)
        self.assertEqual((status, result['reason']), (409, 'Conflict'))
        ok('PATCH', f'{JOBS}/p-1', {'metadata': {'resourceVersion': rv}, 'spec': {'n': 1}}, MERGE)
        finalizer = [{'op': 'test', 'path': '/metadata/finalizers', 'value': None},
                     {'op': 'add', 'path': '/metadata/finalizers', 'value': ['profiler.dev/cleanup']}]
        added = ok('PATCH', f'{JOBS}/p-1', finalizer, JSON_PATCH)
        self.assertEqual(added['metadata']['finalizers'], ['profiler.dev/cleanup'])
        status, result = call('PATCH', f'{JOBS}/p-1', finalizer, JSON_PATCH)  # the test fails now
        self.assertEqual((status, result['reason']), (422, 'Invalid'))
        replaced = ok('PATCH', f'{JOBS}/p-1', [{'op': 'replace', 'path': '/spec/n', 'value': 2}], JSON_PATCH)
        self.assertEqual(replaced['spec']['n'], 2)
        status_patch = [{'op': 'add', 'path': '/status', 'value': {'phase': 'Done'}}]
        self.assertEqual(ok('PATCH', f'{JOBS}/p-1/status', status_patch, JSON_PATCH)['status'], {'phase': 'Done'})
        ok('POST', CONFIGMAPS, {'metadata': {'name': 'p-cm'}, 'data': {'a': '1'}})
        strategic = ok('PATCH', f'{CONFIGMAPS}/p-cm', {'data': {'b': '2'}}, 'application/strategic-merge-patch+json')
        self.assertEqual(strategic['data'], {'a': '1', 'b': '2'})
        self.assertEqual(call('PATCH', f'{JOBS}/p-1', {}, 'application/strategic-merge-patch+json')[0], 415)
        self.assertEqual(call('PATCH', f'{JOBS}/p-1', {}, 'text/plain')[0], 415)

    def test_server_side_apply(self):
        config = ('apiVersion: profiler.dev/v1alpha1\nkind: ProfileJob\nmetadata:\n  name: ssa-1\n'
                  '  labels: {team: a}\nspec:\n  table: t\n  sample: 10\nstatus:\n  phase: Ignored\n')
        self.assertEqual(call('PATCH', f'{JOBS}/ssa-1', config, APPLY)[1]['reason'], 'BadRequest')  # no manager
        created = ok('PATCH', f'{JOBS}/ssa-1?fieldManager=op&force=true', config, APPLY)
        self.assertEqual(created['spec'], {'table': 't', 'sample': 10})
        self.assertEqual(created['metadata']['labels'], {'team': 'a'})
        self.assertNotIn('status', created)
        self.assertEqual(created['metadata']['generation'], 1)
        ok('PATCH', f'{JOBS}/ssa-1', {'spec': {'other': 'kept'}}, MERGE)  # someone else's field
        updated = ok('PATCH', f'{JOBS}/ssa-1?fieldManager=op&force=true', json.dumps(
            {'apiVersion': 'profiler.dev/v1alpha1', 'kind': 'ProfileJob', 'metadata': {'name': 'ssa-1'},
             'spec': {'table': 't2'}}), APPLY)
        self.assertEqual(updated['spec'], {'table': 't2', 'other': 'kept'})  # sample and the label are gone
        self.assertNotIn('team', updated['metadata'].get('labels', {}))
        self.assertEqual(updated['metadata']['generation'], 3)
        status = ok('PATCH', f'{JOBS}/ssa-1/status?fieldManager=op-status&force=true', json.dumps(
            {'apiVersion': 'profiler.dev/v1alpha1', 'kind': 'ProfileJob', 'status': {'phase': 'Running', 'n': 1}}),
            APPLY)
        self.assertEqual((status['status'], status['spec']), ({'phase': 'Running', 'n': 1}, updated['spec']))
        status = ok('PATCH', f'{JOBS}/ssa-1/status?fieldManager=op-status&force=true', json.dumps(
            {'apiVersion': 'profiler.dev/v1alpha1', 'kind': 'ProfileJob', 'status': {'phase': 'Done'}}), APPLY)
        self.assertEqual(status['status'], {'phase': 'Done'})
        self.assertEqual(status['metadata']['generation'], 3)
        missing = call('PATCH', f'{JOBS}/ssa-none/status?fieldManager=op', json.dumps(
            {'apiVersion': 'profiler.dev/v1alpha1', 'kind': 'ProfileJob', 'status': {}}), APPLY)
        self.assertEqual(missing[0], 404)
        cluster = ok('PATCH', f'{RUNTIMES}/ssa-rt?fieldManager=op', json.dumps(
            {'apiVersion': 'profiler.dev/v1alpha1', 'kind': 'ProfilerRuntime', 'spec': {'x': 1}}), APPLY)
        self.assertEqual(cluster['metadata']['name'], 'ssa-rt')
        dry = ok('PATCH', f'{RUNTIMES}/ssa-dry?fieldManager=op&dryRun=All', json.dumps(
            {'apiVersion': 'profiler.dev/v1alpha1', 'kind': 'ProfilerRuntime', 'spec': {}}), APPLY)
        self.assertEqual(dry['metadata']['name'], 'ssa-dry')
        self.assertEqual(call('GET', f'{RUNTIMES}/ssa-dry')[0], 404)

    def test_delete(self):
        ok('POST', CONFIGMAPS, {'metadata': {'name': 'del-cm'}})
        result = ok('DELETE', f'{CONFIGMAPS}/del-cm')
        self.assertEqual((result['kind'], result['status']), ('Status', 'Success'))
        self.assertEqual(call('GET', f'{CONFIGMAPS}/del-cm')[0], 404)
        created = ok('POST', JOBS, {**job('del-1'), 'metadata': {'name': 'del-1', 'finalizers': ['a', 'b']}})
        status, result = call('DELETE', f'{JOBS}/del-1', {'preconditions': {'uid': 'other'}})
        self.assertEqual((status, result['reason']), (409, 'Conflict'))
        deleting = ok('DELETE', f'{JOBS}/del-1')
        self.assertTrue(deleting['metadata']['deletionTimestamp'])
        self.assertEqual(deleting['metadata']['generation'], created['metadata']['generation'] + 1)
        self.assertEqual(ok('DELETE', f'{JOBS}/del-1'), deleting)  # again: nothing changes
        self.assertEqual(ok('GET', f'{JOBS}/del-1'), deleting)
        status, result = call('PATCH', f'{JOBS}/del-1', {'metadata': {'finalizers': ['a', 'b', 'c']}}, MERGE)
        self.assertEqual((status, result['reason']), (422, 'Invalid'))
        ok('PATCH', f'{JOBS}/del-1', [{'op': 'test', 'path': '/metadata/finalizers/0', 'value': 'a'},
                                      {'op': 'remove', 'path': '/metadata/finalizers/0'}], JSON_PATCH)
        self.assertEqual(ok('GET', f'{JOBS}/del-1')['metadata']['finalizers'], ['b'])
        ok('PATCH', f'{JOBS}/del-1', {'metadata': {'finalizers': None}}, MERGE)
        self.assertEqual(call('GET', f'{JOBS}/del-1')[1]['reason'], 'NotFound')
        recreated = ok('POST', JOBS, job('del-1'))
        self.assertNotEqual(recreated['metadata']['uid'], created['metadata']['uid'])
        for name in ('dc-1', 'dc-2', 'dc-3'):
            ok('POST', '/api/v1/namespaces/kube-system/configmaps', {'metadata': {'name': name, 'labels': {
                'gone': str(name != 'dc-3').lower()}}})
        ok('DELETE', '/api/v1/namespaces/kube-system/configmaps?labelSelector=gone%3Dtrue')
        left = ok('GET', '/api/v1/namespaces/kube-system/configmaps')['items']
        self.assertEqual([i['metadata']['name'] for i in left], ['dc-3'])

    def test_builtins(self):
        ns = ok('POST', '/api/v1/namespaces', {'metadata': {'name': 'team-a'}})
        self.assertEqual(ns['status'], {'phase': 'Active'})
        self.assertEqual(ok('GET', '/api/v1/namespaces/team-a')['metadata']['uid'], ns['metadata']['uid'])
        secret = ok('POST', '/api/v1/namespaces/team-a/secrets', {'metadata': {'name': 's'}, 'stringData': {'k': 'v'}})
        self.assertEqual(secret['data'], {'k': 'dg=='})
        self.assertNotIn('stringData', secret)
        event = ok('POST', '/apis/events.k8s.io/v1/namespaces/team-a/events', {
            'metadata': {'name': 'ev-1'}, 'reason': 'Started', 'note': 'x', 'type': 'Normal', 'action': 'Reconcile',
            'regarding': {'kind': 'ProfileJob', 'name': 'j'}, 'reportingController': 'profiler.dev/operator'})
        ok('PATCH', '/apis/events.k8s.io/v1/namespaces/team-a/events/ev-1', {'series': {'count': 2}}, MERGE)
        self.assertEqual(event['kind'], 'Event')
        ok('POST', '/api/v1/namespaces/team-a/events', {'metadata': {'name': 'core-ev'}, 'reason': 'x'})
        leases = '/apis/coordination.k8s.io/v1/namespaces/team-a/leases'
        lease = ok('POST', leases, {'metadata': {'name': 'leader'}, 'spec': {'holderIdentity': 'a'}})
        ok('PUT', f'{leases}/leader', {**lease, 'spec': {'holderIdentity': 'b'}})
        status, result = call('PUT', f'{leases}/leader', {**lease, 'spec': {'holderIdentity': 'c'}})
        self.assertEqual((status, result['reason']), (409, 'Conflict'))

    def test_metadata_only(self):
        ok('POST', JOBS, job('md-1'))
        accept = {'Accept': 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json'}
        result = ok('GET', f'{JOBS}/md-1', headers=accept)
        self.assertEqual((result['kind'], result['metadata']['name']), ('PartialObjectMetadata', 'md-1'))
        self.assertNotIn('spec', result)
        accept = {'Accept': 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json'}
        result = ok('GET', JOBS, headers=accept)
        self.assertEqual((result['kind'], result['items'][0]['kind']),
                         ('PartialObjectMetadataList', 'PartialObjectMetadata'))

    def test_crd_registered_later(self):
        crd = {'apiVersion': 'apiextensions.k8s.io/v1', 'kind': 'CustomResourceDefinition',
               'metadata': {'name': 'widgets.example.com'},
               'spec': {'group': 'example.com', 'scope': 'Namespaced',
                        'names': {'kind': 'Widget', 'plural': 'widgets', 'singular': 'widget'},
                        'versions': [{'name': 'v1', 'served': True, 'storage': True,
                                      'subresources': {'status': {}}}]}}
        widgets = '/apis/example.com/v1/namespaces/default/widgets'
        self.assertEqual(call('GET', widgets)[0], 404)
        ok('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)
        self.assertIn('example.com', [g['name'] for g in ok('GET', '/apis')['groups']])
        ok('POST', widgets, {'metadata': {'name': 'w'}, 'spec': {}})
        self.assertEqual(ok('GET', f'{widgets}/w')['apiVersion'], 'example.com/v1')
        watch = Watch('/apis/example.com/v1/widgets', resourceVersion=ok('GET', widgets)['metadata']['resourceVersion'])
        ok('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')
        self.assertEqual(watch.next()[0], 'DELETED')
        watch.close()
        self.assertEqual(call('GET', widgets)[0], 404)
        self.assertNotIn('example.com', [g['name'] for g in ok('GET', '/apis')['groups']])


    def test_schema_pruning_and_defaults(self):
        schema = {'type': 'object', 'properties': {
            'spec': {'type': 'object', 'properties': {
                'size': {'type': 'integer', 'default': 3},
                'ref': {'type': 'object', 'default': {}, 'properties': {'name': {'type': 'string', 'default': 'x'}}},
                'note': {'type': 'string', 'nullable': True},
                'tags': {'type': 'array', 'items': {'type': 'object', 'properties': {
                    'key': {'type': 'string', 'default': 'k'}}}},
                'labels': {'type': 'object', 'additionalProperties': {'type': 'string'}},
                'free': {'type': 'object', 'x-kubernetes-preserve-unknown-fields': True}}},
            'status': {'type': 'object', 'properties': {'phase': {'type': 'string', 'default': 'Pending'}}}}}
        ok('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
            'apiVersion': 'apiextensions.k8s.io/v1', 'kind': 'CustomResourceDefinition',
            'metadata': {'name': 'gadgets.example.com'},
            'spec': {'group': 'example.com', 'scope': 'Cluster', 'names': {'kind': 'Gadget', 'plural': 'gadgets'},
                     'versions': [{'name': 'v1', 'served': True, 'storage': True, 'subresources': {'status': {}},
                                   'schema': {'openAPIV3Schema': schema}}]}})
        gadgets = '/apis/example.com/v1/gadgets'
        created = ok('POST', gadgets, {'metadata': {'name': 'g'}, 'junk': 1, 'spec': {
            'size': None, 'note': None, 'unknown': 1, 'tags': [{}], 'labels': {'a': 'b'}, 'free': {'any': {'x': 1}}}})
        self.assertEqual(created['spec'], {'size': 3, 'ref': {'name': 'x'}, 'note': None, 'tags': [{'key': 'k'}],
                                           'labels': {'a': 'b'}, 'free': {'any': {'x': 1}}})
        self.assertNotIn('junk', created)
        self.assertEqual(ok('PATCH', f'{gadgets}/g/status', {'status': {}}, MERGE)['status'], {'phase': 'Pending'})
        patched = ok('PATCH', f'{gadgets}/g', {'spec': {'size': 5, 'ref': None}}, MERGE)
        self.assertEqual((patched['spec']['size'], patched['spec']['ref']), (5, {'name': 'x'}))
        self.assertEqual(patched['metadata']['generation'], 2)
        ok('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com')


class Watches(unittest.TestCase):
    def test_events_after_resource_version(self):
        ok('POST', JOBS, job('w-old'))
        rv = ok('GET', JOBS)['metadata']['resourceVersion']
        for flag in ('true', '1'):
            watch = Watch(JOBS, resourceVersion=rv, watch=flag)
            if flag == 'true':
                created = ok('POST', JOBS, job('w-1'))
                ok('PATCH', f'{JOBS}/w-1/status', {'status': {'phase': 'Running'}}, MERGE)
                ok('PATCH', f'{JOBS}/w-1', {'metadata': {'finalizers': ['f']}}, MERGE)
                ok('DELETE', f'{JOBS}/w-1')
                ok('PATCH', f'{JOBS}/w-1', {'metadata': {'finalizers': []}}, MERGE)
            kinds = [watch.next() for _ in range(5)]
            self.assertEqual([k for k, _ in kinds], ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED'])
            self.assertEqual(kinds[0][1]['metadata']['uid'], created['metadata']['uid'])
            self.assertEqual(kinds[1][1]['status'], {'phase': 'Running'})
            self.assertTrue(kinds[3][1]['metadata']['deletionTimestamp'])
            versions = [int(o['metadata']['resourceVersion']) for _, o in kinds]
            self.assertEqual(versions, sorted(set(versions)))
            self.assertGreater(versions[0], int(rv))
            watch.expect_nothing()
            watch.close()

    def test_initial_events(self):
        ok('POST', RUNTIMES, {'metadata': {'name': 'wi-1'}})
        for params in ({}, {'resourceVersion': '0'}):
            watch = Watch(RUNTIMES, fieldSelector='metadata.name=wi-1', **params)
            kind, obj = watch.next()
            self.assertEqual((kind, obj['metadata']['name']), ('ADDED', 'wi-1'))
            watch.expect_nothing()
            ok('PATCH', f'{RUNTIMES}/wi-1', {'spec': {'n': len(params)}}, MERGE)
            self.assertEqual(watch.next()[0], 'MODIFIED')
            watch.close()
        watch = Watch(RUNTIMES, sendInitialEvents='true', resourceVersionMatch='NotOlderThan', resourceVersion='',
                      allowWatchBookmarks='true', labelSelector='none')
        kind, obj = watch.next()
        self.assertEqual(kind, 'BOOKMARK')
        self.assertEqual(obj['metadata']['annotations'], {'k8s.io/initial-events-end': 'true'})
        self.assertEqual((obj['apiVersion'], obj['kind']), ('profiler.dev/v1alpha1', 'ProfilerRuntime'))
        watch.close()

    def test_selectors_and_namespaces(self):
        rv = ok('GET', JOBS)['metadata']['resourceVersion']
        watch = Watch(JOBS, resourceVersion=rv, labelSelector='watched=yes')
        everywhere = Watch(f'{GV}/profilejobs', resourceVersion=rv, fieldSelector='metadata.name=ws-1')
        other_ns = Watch(f'{GV}/namespaces/kube-system/profilejobs', resourceVersion=rv)
        ok('POST', JOBS, job('ws-1', {'watched': 'no'}))
        ok('PATCH', f'{JOBS}/ws-1', {'metadata': {'labels': {'watched': 'yes'}}}, MERGE)
        ok('PATCH', f'{JOBS}/ws-1', {'spec': {'more': 1}}, MERGE)
        ok('PATCH', f'{JOBS}/ws-1', {'metadata': {'labels': {'watched': 'no'}}}, MERGE)
        ok('DELETE', f'{JOBS}/ws-1')
        self.assertEqual([watch.next()[0] for _ in range(3)], ['ADDED', 'MODIFIED', 'DELETED'])
        watch.expect_nothing()
        self.assertEqual([everywhere.next()[0] for _ in range(5)],
                         ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED'])
        other_ns.expect_nothing()
        for w in (watch, everywhere, other_ns):
            w.close()

    def test_timeout_ends_the_stream(self):
        started = time.monotonic()
        watch = Watch(CONFIGMAPS, resourceVersion=ok('GET', CONFIGMAPS)['metadata']['resourceVersion'],
                      timeoutSeconds='1')
        self.assertEqual(watch.next(timeout=5)[0], 'END')
        self.assertLess(time.monotonic() - started, 4)
        watch.close()

    def test_too_old_resource_version(self):
        global PORT
        server, port = start_server(os.path.join(TMP.name, 'crds.yaml'), KUBE_EMULATOR_WATCH_LOG='10')
        port, PORT = PORT, port
        try:
            first = ok('POST', CONFIGMAPS, {'metadata': {'name': 'old-0'}})['metadata']['resourceVersion']
            for i in range(1, 12):
                ok('POST', CONFIGMAPS, {'metadata': {'name': f'old-{i}'}})
            watch = Watch(CONFIGMAPS, resourceVersion=first)
            kind, status = watch.next()
            self.assertEqual((kind, status['kind'], status['code'], status['reason']),
                             ('ERROR', 'Status', 410, 'Expired'))
            self.assertEqual(watch.next()[0], 'END')
            watch.close()
        finally:
            PORT = port
            stop_server(server)

    def test_bad_resource_version(self):
        self.assertEqual(call('GET', f'{JOBS}?watch=true&resourceVersion=abc')[0], 400)


@unittest.skipUnless(os.environ.get('KUBECTL') or shutil.which('kubectl'), 'kubectl is not available')
class Kubectl(unittest.TestCase):
    def kubectl(self, *args, stdin=None):
        command = [os.environ.get('KUBECTL') or shutil.which('kubectl'), f'--server=http://127.0.0.1:{PORT}',
                   '--request-timeout=10s', *args]
        env = {**os.environ, 'KUBECONFIG': os.devnull}
        result = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(result.returncode, 0, f'{args}: {result.stderr}')
        return result.stdout

    def test_kubectl(self):
        self.assertIn('default', self.kubectl('get', 'namespaces'))
        manifest = ('apiVersion: profiler.dev/v1alpha1\nkind: ProfileJob\nmetadata:\n  name: kc-1\n'
                    '  namespace: default\nspec:\n  table: t\n')
        self.kubectl('apply', '--server-side', '--validate=false', '-f', '-', stdin=manifest)
        self.kubectl('patch', 'profilejob', 'kc-1', '--subresource=status', '--type=merge',
                     '-p', '{"status":{"phase":"Done"}}')
        obj = json.loads(self.kubectl('get', 'pj', 'kc-1', '-o', 'json'))
        self.assertEqual((obj['spec'], obj['status']), ({'table': 't'}, {'phase': 'Done'}))
        self.assertIn('kc-1', self.kubectl('get', 'profilejobs', '-l', 'app!=x'))
        # kubectl's typed commands (`kubectl create configmap`) send protobuf, which gets a 415: use -f.
        self.kubectl('create', '--validate=false', '-f', '-',
                     stdin='apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kc-cm}\n')
        self.kubectl('label', 'configmap', 'kc-cm', 'x=y')
        self.assertEqual(json.loads(self.kubectl('get', 'cm', 'kc-cm', '-o', 'json'))['metadata']['labels'],
                         {'x': 'y'})
        self.kubectl('apply', '--validate=false', '-f', '-', stdin=manifest.replace('table: t', 'table: u'))
        self.assertEqual(json.loads(self.kubectl('get', 'pj', 'kc-1', '-o', 'json'))['spec'], {'table': 'u'})
        self.kubectl('wait', '--for=condition=Established', 'crd/profilejobs.profiler.dev', '--timeout=10s')
        self.kubectl('delete', 'profilejob/kc-1', 'configmap/kc-cm', '--wait=true', '--timeout=10s')
        self.assertEqual(self.kubectl('get', 'profilejobs', '--ignore-not-found', '--field-selector',
                                      'metadata.name=kc-1'), '')


if __name__ == '__main__':
    unittest.main(verbosity=2)
