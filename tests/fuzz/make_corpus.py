#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the fuzz targets' seed corpora into tests/fuzz/corpus/<target>/ (committed; rerun to
# regenerate). Small on purpose: libFuzzer grows its working corpus in build-fuzz/.
import gzip
import io
import os
import shutil
import subprocess
import tarfile

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    os.makedirs(os.path.join(here, target), exist_ok=True)
    with open(os.path.join(here, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def tar(members, fmt=tarfile.PAX_FORMAT):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as t:
        for name, kind, arg in members:
            info = tarfile.TarInfo(name)
            info.mtime = 1700000000
            data = None
            if kind == "file":
                data = arg.encode() if isinstance(arg, str) else arg
                info.size = len(data)
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
            elif kind == "sym":
                info.type = tarfile.SYMTYPE
                info.linkname = arg
            elif kind == "hard":
                info.type = tarfile.LNKTYPE
                info.linkname = arg
            elif kind == "chr":
                info.type = tarfile.CHRTYPE
                info.devmajor, info.devminor = 1, 3
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return out.getvalue()


def main():
    for target in os.listdir(here) if os.path.isdir(here) else []:
        shutil.rmtree(os.path.join(here, target))
    usual = [("etc/", "dir", None), ("etc/passwd", "file", "root:x:0:0\n"), ("bin/sh", "sym", "dash"),
             ("bin/dash", "file", b"\x7fELF" + bytes(300)), ("bin/ash", "hard", "bin/dash"),
             ("dev/null", "chr", None), ("run/fifo", "fifo", None), (".wh.gone", "file", ""),
             ("opq/.wh..wh..opq", "file", ""), ("opq/new", "file", "n")]
    hostile = [("../x", "file", "x"), ("/../y", "file", "y"), ("/etc/z", "file", "z"), ("loophole", "sym", "../victim"),
               ("loophole/file", "file", "f"), (".", "sym", "/etc"), ("d/.wh..", "file", ""), ("d/.wh...", "file", ""),
               ("h", "hard", "../outside"), ("h2", "hard", "loophole"), ("h3", "hard", "etc")]
    longname = [("a/" + "n" * 300, "file", "long"), ("b/" + "m" * 120, "sym", "t" * 200)]
    plain = tar(usual)
    put("tarlayer", "usual.tar", plain)
    put("tarlayer", "hostile.tar", tar(hostile))
    put("tarlayer", "gnu-longname.tar", tar(longname, tarfile.GNU_FORMAT))
    put("tarlayer", "pax-longname.tar", tar(longname))
    put("tarlayer", "usual.tar.gz", gzip.compress(plain, 1, mtime=0))
    put("tarlayer", "hostile.tar.gz", gzip.compress(tar(hostile), 1, mtime=0))
    if shutil.which("zstd"):
        put("tarlayer", "usual.tar.zst", subprocess.run(["zstd", "-q", "-c", "-3"], input=plain, stdout=subprocess.PIPE, check=True).stdout)

    hex1, hex2 = "a" * 64, "b" * 64
    index = '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"@MANIFEST@","size":1,' \
            '"annotations":{"org.opencontainers.image.ref.name":"latest"},"platform":{"os":"linux","architecture":"amd64"}}]}'
    manifest = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json",' \
               '"digest":"@CONFIG@","size":1},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:' + hex1 + '","size":1},' \
               '{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:' + hex2 + '","size":1}]}'
    config = '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:' + hex1 + '","sha256:' + hex2 + '"]},' \
             '"history":[{"created_by":"ADD rootfs"},{"created_by":"ENV x=1","empty_layer":true},{"created_by":"RUN apt-get install"}]}'
    dockerManifest = '[{"Config":"@CONFIGPATH@","RepoTags":["strata/test:v1"],"Layers":["blobs/sha256/' + hex1 + '","' + hex2 + '/layer.tar"]}]'
    sep = "\n----\n"
    put("imagejson", "oci", sep.join([index, manifest, config, dockerManifest]))
    put("imagejson", "mediatype-mismatch", sep.join([index.replace("image.manifest", "image.index"), manifest, config, dockerManifest]))
    put("imagejson", "nested-index", sep.join([index, '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":'
                                                      '"application/vnd.oci.image.manifest.v1+json","digest":"sha256:' + hex1 + '","size":1}]}', config,
                                               '[{"Config":"../../etc/passwd","Layers":["../x"]}]']))

    cs_layers = '[{"id":"l1"},{"id":"l2","parent":"l1","diff-size":10},{"id":"l3","parent":"l2"},{"id":"evil","parent":"l1"}]'
    cs_images = '[{"id":"' + hex1 + '","names":["localhost/app:latest"],"layer":"l2"},{"id":"' + "d" * 64 + '","names":["evil:1"],"layer":"evil"}]'
    cs_containers = '[{"id":"' + hex2 + '","names":["box"],"image":"' + hex1 + '","layer":"l3"}]'
    repositories = '{"Repositories":{"app":{"app:latest":"@IMAGE@","app@sha256:' + hex1 + '":"@IMAGE@"}}}'
    empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    docker_config = '{"rootfs":{"type":"layers","diff_ids":["' + empty + '"]},"history":[{"created_by":"ADD x"}]}'
    put("storagejson", "both", sep.join([cs_layers, cs_images, cs_containers, repositories, docker_config, "c" * 64]))
    put("storagejson", "cycle", sep.join(['[{"id":"l1","parent":"l2"},{"id":"l2","parent":"l1"}]', '[{"id":"' + hex1 + '","names":["loop"],"layer":"l2"}]', "[]",
                                          repositories, docker_config, "../../../../etc"]))

    put("mountinfo", "overlay",
        "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "61 22 0:52 / /merged rw,relatime shared:30 - overlay overlay rw,lowerdir=/l/a:/l/b,upperdir=/u,workdir=/w,redirect_dir=on,index=on\n"
        "62 22 0:53 / /sp\\040ace rw - overlay overlay rw,lowerdir=/with\\054comma/x\\134:y,upperdir=/u\\040v,workdir=/w2,userxattr\n"
        "63 22 0:54 / /plus rw - overlay overlay ro,lowerdir+=/a,lowerdir+=/b,datadir+=/d,metacopy=on\n")
    put("overlayoptions", "full", "lowerdir=/a:/b::/data,upperdir=/u,workdir=/w,redirect_dir=follow,index=on,metacopy=on,xino=auto")
    put("overlayoptions", "escapes", "lowerdir=rel/a\\:b:/c\\,d,userxattr,volatile")
    put("overlayoptions", "plus", "lowerdir+=/x,lowerdir+=../y,datadir+=/z,upperdir=/u,workdir=/w,redirect_dir=nofollow")
    # What the fuzzer found, kept as seeds: a quote in a path, a layer named ":c", a lone
    # trailing backslash; mountinfo lines with empty fields.
    put("overlayoptions", "found-quote", 'lowerdir=rel/a\\:b:o"""\\')
    put("overlayoptions", "found-double-slash", "lowerdir+=/x,lowerdir+=..//z")
    put("overlayoptions", "found-colon", "lowerdir=a\\:b:\\:c::\\c/")
    put("mountinfo", "found-empty-fields", "22 1  :02 /!/  rw - ext4 /dev/sda1 rw\n61 22 0:52 / /m rw -  overlay rw,lowerdir=/l\n")


if __name__ == "__main__":
    main()
