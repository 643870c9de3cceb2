#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds test_imagesources' images in OUT (needs umoci, skopeo, zstd; run as root for owners).

oci/ — an OCI layout made by umoci, tags:
  v1  one layer of files, links, a hardlink, a fifo, odd names, owners, an xattr
  v2  + a layer umoci made from deletions and changes (its .wh. whiteouts)
  v3  + a hand-written layer: .wh..wh..opq after its directory's entries, .wh.DIR then DIR/...,
      a whiteout next to a file of the same layer, a plain whiteout
  v4  v3's layers as tar, tar+gzip and tar+zstd (bottom to top)
legacy.tar — skopeo's docker-archive of v3 (manifest.json, ID.tar layers)
docker25.tar — Docker 25's docker save shape: the OCI layout inside the tar, uncompressed blobs,
               manifest.json pointing into blobs/, index.json with io.containerd.image.name
oci-only.tar — docker25.tar without manifest.json; null-manifests.tar — index.json "manifests": null
"""
import hashlib, io, json, os, shutil, subprocess, sys, tarfile

out = os.path.abspath(sys.argv[1])
lay = os.path.join(out, 'oci')
bundle = os.path.join(out, 'bundle')
root = os.path.join(bundle, 'rootfs')


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def write(path, data, mode=0o644):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'wb') as f:
        f.write(data)
    os.chmod(full, mode)


def repack(tag, created_by):
    run('umoci', 'repack', '--refresh-bundle', '--image', f'{lay}:{tag}', '--history.created_by', created_by, bundle)


run('umoci', 'init', '--layout', lay)
run('umoci', 'new', '--image', f'{lay}:base')
run('umoci', 'unpack', '--image', f'{lay}:base', bundle)

# Layer 1
write('etc/a.conf', b'alpha\n')
write('etc/b.conf', b'bravo\n', 0o640)
os.chown(os.path.join(root, 'etc/b.conf'), 1000, 1001)
write('usr/bin/tool', bytes(range(256)) * 300, 0o755)
os.symlink('tool', os.path.join(root, 'usr/bin/link'))
os.link(os.path.join(root, 'usr/bin/tool'), os.path.join(root, 'usr/bin/tool2'))
write('data/keep/x', b'x' * 5000)
write('data/drop/y', b'y\n')
write('opq/old', b'old\n')
write('opq/keep', b'keep\n')
write('new/dir/f', b'f\n')
os.mkfifo(os.path.join(root, 'data/pipe'))
write('odd/new\nline', b'newline in the name\n')
write(os.fsdecode(b'odd/bad\xffname'), b'not UTF-8\n')
write('empty', b'')
os.makedirs(os.path.join(root, 'var/empty/dir'))
os.chmod(os.path.join(root, 'var/empty'), 0o1777)
os.setxattr(os.path.join(root, 'etc/a.conf'), 'user.note', b'hello')
repack('v1', 'layer one: files')

# Layer 2: deletions and changes (umoci writes .wh. whiteouts)
os.unlink(os.path.join(root, 'etc/a.conf'))
shutil.rmtree(os.path.join(root, 'data/drop'))
os.chmod(os.path.join(root, 'etc/b.conf'), 0o600)
write('usr/bin/tool', b'#!/bin/sh\necho v2\n', 0o755)
os.chown(os.path.join(root, 'data/keep/x'), 42, 43)
write('etc/c.conf', b'charlie\n')
repack('v2', 'layer two: deletions')

# Layer 3 by hand: the orders the spec allows that umoci does not write itself.
hand = io.BytesIO()
with tarfile.open(fileobj=hand, mode='w', format=tarfile.PAX_FORMAT) as t:
    def add(name, data=None, kind=tarfile.REGTYPE, mode=0o644):
        info = tarfile.TarInfo(name)
        info.type = kind
        info.mode = mode
        info.mtime = 1700000000
        if data is not None:
            info.size = len(data)
        t.addfile(info, io.BytesIO(data) if data is not None else None)
    add('opq', kind=tarfile.DIRTYPE, mode=0o755)
    add('opq/fresh', b'fresh\n')
    add('opq/.wh..wh..opq', b'')            # after the entries it must not hide
    add('.wh.new', b'')                      # the lower new/ goes ...
    add('new', kind=tarfile.DIRTYPE, mode=0o700)
    add('new/other', b'other\n')             # ... and a new one replaces it
    add('etc/b.conf', b'bravo, layer three\n', mode=0o644)
    add('etc/.wh.b.conf', b'')               # same layer: does not hide b.conf above
    add('data/keep/.wh.x', b'')              # a plain whiteout
    add('.wh.empty', b'')
with open(os.path.join(out, 'hand.tar'), 'wb') as f:
    f.write(hand.getvalue())
run('umoci', 'raw', 'add-layer', '--image', f'{lay}:v2', '--tag', 'v3', '--history.created_by', 'layer three: by hand', os.path.join(out, 'hand.tar'))


def blob(digest):
    return os.path.join(lay, 'blobs', *digest.split(':'))


def put(data):
    digest = 'sha256:' + hashlib.sha256(data).hexdigest()
    with open(blob(digest), 'wb') as f:
        f.write(data)
    return digest


def read_json(digest):
    with open(blob(digest), 'rb') as f:
        return json.load(f)


index_path = os.path.join(lay, 'index.json')
with open(index_path) as f:
    index = json.load(f)
v3 = next(m for m in index['manifests'] if m['annotations']['org.opencontainers.image.ref.name'] == 'v3')
manifest = read_json(v3['digest'])
gunzip = lambda d: subprocess.run(['gzip', '-dc'], input=d, check=True, stdout=subprocess.PIPE).stdout
zstd = lambda d: subprocess.run(['zstd', '-q', '-c'], input=d, check=True, stdout=subprocess.PIPE).stdout
plain_layers = []
for layer in manifest['layers']:
    with open(blob(layer['digest']), 'rb') as f:
        plain_layers.append(gunzip(f.read()))

# v4: tar, tar+gzip, tar+zstd, ... (cycling, bottom to top)
m4 = json.loads(json.dumps(manifest))
for i, layer in enumerate(m4['layers']):
    kind = i % 3
    if kind == 0:
        data, media = plain_layers[i], 'application/vnd.oci.image.layer.v1.tar'
    elif kind == 1:
        with open(blob(layer['digest']), 'rb') as f:
            data = f.read()
        media = 'application/vnd.oci.image.layer.v1.tar+gzip'
    else:
        data, media = zstd(plain_layers[i]), 'application/vnd.oci.image.layer.v1.tar+zstd'
    m4['layers'][i] = {'mediaType': media, 'digest': put(data), 'size': len(data)}
m4_bytes = json.dumps(m4).encode()
index['manifests'].append({'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': put(m4_bytes), 'size': len(m4_bytes),
                           'annotations': {'org.opencontainers.image.ref.name': 'v4'}})
with open(index_path, 'w') as f:
    json.dump(index, f)

run('skopeo', '--insecure-policy', 'copy', '-q', f'oci:{lay}:v3', f'docker-archive:{out}/legacy.tar:strata/test:v3')

# Docker 25's docker save: uncompressed layer blobs, an OCI index and the legacy manifest.json.
config_digest = manifest['config']['digest']
with open(blob(config_digest), 'rb') as f:
    config_bytes = f.read()
layer_digests = ['sha256:' + hashlib.sha256(p).hexdigest() for p in plain_layers]
m25 = {'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json',
       'config': {'mediaType': 'application/vnd.oci.image.config.v1+json', 'digest': config_digest, 'size': len(config_bytes)},
       'layers': [{'mediaType': 'application/vnd.oci.image.layer.v1.tar', 'digest': d, 'size': len(p)} for d, p in zip(layer_digests, plain_layers)]}
m25_bytes = json.dumps(m25).encode()
m25_digest = 'sha256:' + hashlib.sha256(m25_bytes).hexdigest()


def docker_archive(name, with_manifest, null_manifests):
    idx = {'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.index.v1+json',
           'manifests': None if null_manifests else [{'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'digest': m25_digest, 'size': len(m25_bytes),
                                                      'annotations': {'io.containerd.image.name': 'docker.io/strata/test:v3', 'org.opencontainers.image.ref.name': 'v3'}}]}
    files = [('blobs', None), ('blobs/sha256', None)]
    for d, p in zip(layer_digests, plain_layers):
        files.append(('blobs/sha256/' + d[7:], p))
    files.append(('blobs/sha256/' + config_digest[7:], config_bytes))
    files.append(('blobs/sha256/' + m25_digest[7:], m25_bytes))
    files.append(('index.json', json.dumps(idx).encode()))
    if with_manifest:
        files.append(('manifest.json', json.dumps([{'Config': 'blobs/sha256/' + config_digest[7:], 'RepoTags': ['strata/test:v3'],
                                                    'Layers': ['blobs/sha256/' + d[7:] for d in layer_digests]}]).encode()))
        files.append(('repositories', json.dumps({'strata/test': {'v3': layer_digests[-1][7:]}}).encode()))
    files.append(('oci-layout', b'{"imageLayoutVersion": "1.0.0"}'))
    with tarfile.open(os.path.join(out, name), 'w', format=tarfile.PAX_FORMAT) as t:
        for path, data in files:
            info = tarfile.TarInfo(path)
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                t.addfile(info)
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))


docker_archive('docker25.tar', True, False)
docker_archive('oci-only.tar', False, False)
docker_archive('null-manifests.tar', True, True)
shutil.rmtree(bundle)
os.unlink(os.path.join(out, 'hand.tar'))
