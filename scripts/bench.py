#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmarks for scripts/bench. Ratios against a baseline measured in the same run."""
import os, random, resource, shutil, statistics, subprocess, sys, tempfile, time

build = sys.argv[1]
rounds = int(os.environ.get("STRATA_BENCH_ROUNDS", "5"))
cache = os.environ.get("STRATA_BENCH_DIR", "/var/cache/strata/bench-stack-v2")
cli = os.path.join(build, "bin", "strata-cli")


def generate(root):
    """10 layers, heavily overlapping: a 100k-entry base, nine layers of ~44k entries rewriting,
    deleting (0/0 whiteouts) and adding paths of the same tree."""
    rng = random.Random(42)
    tmp = root + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    total = 0
    for layer in range(10):
        base = os.path.join(tmp, f"layer{layer}")
        os.makedirs(base)
        dirs = range(1000) if layer == 0 else sorted(rng.sample(range(1000), 450))
        for d in dirs:
            dpath = os.path.join(base, f"d{d:04d}")
            os.makedirs(dpath)
            total += 1
            names = range(99) if layer == 0 else rng.sample(range(110), 99)
            for f in names:
                path = os.path.join(dpath, f"f{f:03d}")
                if layer > 0 and rng.random() < 0.05:
                    os.mknod(path, 0o600 | 0o020000, os.makedev(0, 0))  # whiteout
                else:
                    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o644)
                    if rng.random() < 0.2:
                        os.write(fd, b"x" * rng.randrange(1, 2000))
                    os.close(fd)
                total += 1
    os.rename(tmp, root)
    return total


def generate_deep(root):
    """The second shape: 10 layers over a deep tree (6 levels), most entries overlapping, with
    renamed directories (absolute redirects, mounted with redirect_dir=on), opaque directories and
    whiteouts: what a long-lived container's upper dirs, stacked, look like."""
    rng = random.Random(4242)
    tmp = root + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    total = 0
    dirs = [""]
    for depth in range(5):
        dirs += [f"{d}/n{depth}{k}" for d in dirs if d.count("/") == depth for k in range(4 if depth < 4 else 3)]
    dirs = [d for d in dirs if d]  # 4+16+64+256+768 = 1108 directories
    for layer in range(10):
        base = os.path.join(tmp, f"layer{layer}")
        os.makedirs(base)
        chosen = dirs if layer == 0 else rng.sample(dirs, int(len(dirs) * 0.7))
        for d in sorted(chosen):
            dpath = base + d
            os.makedirs(dpath, exist_ok=True)
            total += 1
            if layer > 0 and rng.random() < 0.02:
                os.setxattr(dpath, "trusted.overlay.opaque", b"y")
            for f in range(48):
                path = os.path.join(dpath, f"f{f:02d}")
                if layer > 0 and rng.random() < 0.08:
                    os.mknod(path, 0o600 | 0o020000, os.makedev(0, 0))
                else:
                    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o644)
                    if rng.random() < 0.1:
                        os.write(fd, b"y" * rng.randrange(1, 3000))
                    os.close(fd)
                total += 1
        if layer > 0:
            # Renamed directories: a new name redirecting to where the data was.
            for k in range(20):
                source = rng.choice(dirs)
                target = os.path.join(base, f"renamed{k}")
                if not os.path.exists(target):
                    os.makedirs(target)
                    os.setxattr(target, "trusted.overlay.redirect", source.encode())
                    total += 1
    os.rename(tmp, root)
    return total


def maxrss_of(cmd, **kw):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, **kw)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc, elapsed, after  # ru_maxrss of children is a running maximum (KiB)


def compare_with_kernel(name, cache, generator, options=""):
    """strata-cli ls (MergedView load) against the kernel's fresh mount + find walk + umount."""
    if not os.path.isdir(cache):
        print(f"generating the {name} stack in {cache} …", flush=True)
        t = time.perf_counter()
        n = generator(cache)
        print(f"  {n} entries in {time.perf_counter() - t:.1f} s", flush=True)
    layers = [os.path.join(cache, f"layer{i}") for i in range(10)]
    lowerdir = ":".join(reversed(layers))
    source = f"overlay:lowerdir={lowerdir}" + (f",{options}" if options else "")
    mnt = tempfile.mkdtemp(prefix="strata-bench-mnt-")

    def kernel_walk():
        # Relative layer names: mount(8)'s fsconfig path rejects long lowerdir values.
        relative = ":".join(f"layer{i}" for i in reversed(range(10)))
        subprocess.run(["mount", "-t", "overlay", "overlay", "-o", f"lowerdir={relative}" + (f",{options}" if options else ""), mnt], check=True, cwd=cache)
        try:
            # Phantom whiteouts (listed, not found) make find complain: the walk is complete anyway.
            subprocess.run(["find", mnt, "-printf", "%p %m %s %U %G\n"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finally:
            subprocess.run(["umount", mnt], check=True)

    def strata_ls():
        proc, elapsed, rss = maxrss_of([cli, "ls", "--json", "--timings", source], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            sys.exit(f"strata-cli failed: {proc.stderr}")
        fields = {}
        for line in proc.stderr.splitlines():
            for prefix in ("timings:", "phases:", "output:"):
                if line.startswith(prefix):
                    fields.update(kv.split("=") for kv in line[len(prefix):].split())
        return elapsed, fields, rss

    # Warm the page cache for both.
    kernel_walk(); strata_ls()
    kernel_times, strata_times, ratios, scan_rates, runs = [], [], [], [], []
    peak_kib = 0
    for _ in range(rounds):
        start = time.perf_counter()
        kernel_walk()
        k = time.perf_counter() - start  # mount + walk + unmount, as a user would
        s, fields, rss = strata_ls()
        peak_kib = max(peak_kib, rss)
        kernel_times.append(k); strata_times.append(s); ratios.append(s / k); runs.append(fields)
        scan_rates.append(int(fields["entries"]) / (float(fields["scan_ms"]) / 1000))
    os.rmdir(mnt)
    fields = runs[-1]
    ratio = statistics.median(ratios)
    print(f"{name}: 10 layers, {fields['entries']} entries, {int(fields['merged']) - 1} merged paths")
    print(f"  kernel mount+find+umount: median {statistics.median(kernel_times) * 1000:.0f} ms")
    print(f"  strata-cli ls --json:     median {statistics.median(strata_times) * 1000:.0f} ms")
    print(f"  ratio strata/kernel:      median {ratio:.2f}  (goal <= 0.75{'' if ratio <= 0.75 else ': NOT MET'})")
    print(f"  scan alone:               {statistics.median(scan_rates) / 1e3:.0f}k entries/s over 2 cores")
    phases = [k for k in fields if k.startswith("phase_")]
    print("  where the time goes (median ms): " + ", ".join(f"{k[6:-3].replace('_', ' ')} {statistics.median(float(r.get(k, 0)) for r in runs):.0f}" for k in phases))
    return peak_kib


def main():
    peak = compare_with_kernel("wide stack", cache, generate)
    peak = max(peak, compare_with_kernel("deep stack", os.environ.get("STRATA_BENCH_DEEP_DIR", "/var/cache/strata/bench-deep-v1"), generate_deep, "redirect_dir=on"))
    print(f"peak RSS of strata-cli ls: {peak / 1024:.0f} MB  (goal <= 250 MB)")


def generate_gui_stack(root):
    """About 1M entries: 4 layers of 1000 directories x ~250 files, and /big with 10k entries."""
    rng = random.Random(7)
    tmp = root + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    total = 0
    for layer in range(4):
        base = os.path.join(tmp, f"layer{layer}")
        os.makedirs(base)
        for d in range(1000):
            dpath = os.path.join(base, f"d{d:04d}")
            os.makedirs(dpath)
            total += 1
            for f in range(247):
                fd = os.open(os.path.join(dpath, f"f{layer}-{f:03d}"), os.O_CREAT | os.O_WRONLY, 0o644)
                os.close(fd)
                total += 1
    big = os.path.join(tmp, "layer0", "big")
    os.makedirs(big)
    for f in range(10000):
        os.close(os.open(os.path.join(big, f"entry{f:05d}"), os.O_CREAT | os.O_WRONLY, 0o644))
        total += 1
    os.rename(tmp, root)
    return total


def gui_bench():
    root = os.environ.get("STRATA_BENCH_GUI_DIR", "/var/cache/strata/bench-gui-v1")
    if not os.path.isdir(root):
        print(f"generating the 1M-entry GUI stack in {root} …", flush=True)
        t = time.perf_counter()
        n = generate_gui_stack(root)
        print(f"  {n} entries in {time.perf_counter() - t:.1f} s", flush=True)
    lowerdir = ":".join(os.path.join(root, f"layer{i}") for i in reversed(range(4)))
    results, ls_times = [], []
    for _ in range(3):
        # The same stack through strata-cli ls, in the same run: the GUI's merged tree should not
        # take much longer than the listing (goal: at most 1.5 s more).
        t = time.perf_counter()
        subprocess.run([os.path.join(build, "bin", "strata-cli"), "ls", f"overlay:lowerdir={lowerdir}"], stdout=subprocess.DEVNULL, check=True)
        ls_times.append((time.perf_counter() - t) * 1000)
        proc = subprocess.run([os.path.join(build, "bin", "strata"), "--benchmark", "/big", f"overlay:lowerdir={lowerdir}"],
                              capture_output=True, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        if proc.returncode != 0:
            sys.exit(f"strata --benchmark failed: {proc.stderr}")
        import json
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    med = lambda key: statistics.median(r[key] for r in results)
    print(f"GUI, 1M-entry stack (4 layers): scan+merge {med('load_ms'):.0f} ms, first paint after the scan {med('first_paint_after_scan_ms'):.0f} ms "
          f"(goal <= 1500), expanding a {results[0]['expanded_rows']}-entry directory {med('expand_ms'):.0f} ms (goal <= 100), "
          f"'only changes' filter {med('only_changes_filter_ms'):.0f} ms (GUI thread busy {med('only_changes_gui_blocked_ms'):.0f} ms), peak RSS {rss_mb:.0f} MB (goal <= 500)")
    ls_ms = statistics.median(ls_times)
    shown_ms = med('merged_tree_shown_ms')
    print(f"GUI, 1M-entry stack: merged tree shown {shown_ms:.0f} ms after start vs strata-cli ls {ls_ms:.0f} ms "
          f"(+{shown_ms - ls_ms:.0f} ms, goal <= +1500); relayout of the kept rows when the statistics arrive {med('stats_relayout_ms'):.0f} ms")
    full_ms = med('stats_complete_ms')
    print(f"GUI, 1M-entry stack: Full load (every statx, per-layer statistics) complete {full_ms:.0f} ms after start "
          f"(median of 3; goal <= 3000{'' if full_ms <= 3000 else ': NOT MET'}), peak RSS {rss_mb:.0f} MB (goal <= 500{'' if rss_mb <= 500 else ': NOT MET'})")


def real_image_bench():
    """The real image (tests/make_real_image.sh: Debian minbase + nginx-light + tuning, gzip layers):
    strata-cli ls --json of oci: and docker-archive: against GNU tar -tvzf over the same layer blobs
    in sequence, alternating in one run; both read every byte (Strata also checks both digests of
    every layer). Then the window's first screen of the same image."""
    import json
    here = os.path.dirname(os.path.abspath(__file__))
    made = subprocess.run(["bash", os.path.join(here, "..", "tests", "make_real_image.sh")], stdout=subprocess.PIPE, text=True, check=True)
    image = made.stdout.strip().splitlines()[-1]
    oci = os.path.join(image, "oci")
    with open(os.path.join(oci, "index.json")) as f:
        manifest_digest = json.load(f)["manifests"][0]["digest"].split(":")[1]
    with open(os.path.join(oci, "blobs", "sha256", manifest_digest)) as f:
        layers = json.load(f)["layers"]
    blobs = [os.path.join(oci, "blobs", "sha256", l["digest"].split(":")[1]) for l in layers]
    compressed = sum(os.path.getsize(b) for b in blobs)
    sources = {"oci:": f"oci:{oci}:real", "docker-archive:": f"docker-archive:{os.path.join(image, 'real.tar')}"}

    def timed(cmd):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            sys.exit(f"{cmd[0]} failed: {proc.stderr}")
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    def gnu_tar():
        wall = cpu = 0.0
        for b in blobs:
            w, c = timed(["tar", "-tvzf", b])
            wall += w; cpu += c
        return wall, cpu

    gnu_tar(); [timed([cli, "ls", "--json", s]) for s in sources.values()]  # warm the page cache
    samples = {name: [] for name in sources}
    tar_samples = []
    for _ in range(rounds):
        t = gnu_tar()
        tar_samples.append(t)
        for name, source in sources.items():
            samples[name].append((timed([cli, "ls", "--json", source]), t))
    med = statistics.median
    print(f"real image: {len(blobs)} gzip layers, {compressed / 2**20:.0f} MiB compressed; "
          f"tar -tvzf over the blobs: median {med(t[0] for t in tar_samples) * 1000:.0f} ms wall, {med(t[1] for t in tar_samples) * 1000:.0f} ms CPU")
    for name, rows in samples.items():
        wall_ratio = med(s[0] / t[0] for s, t in rows)
        cpu_ratio = med(s[1] / t[1] for s, t in rows)
        print(f"strata-cli ls --json {name:16} median {med(s[0] for s, _ in rows) * 1000:.0f} ms wall, {med(s[1] for s, _ in rows) * 1000:.0f} ms CPU; "
              f"ratio to tar: wall {wall_ratio:.2f}, CPU {cpu_ratio:.2f}  (goal <= 0.5)")
    if os.environ.get("STRATA_BENCH_GUI", "1") == "1":
        results = []
        for _ in range(3):
            proc = subprocess.run([os.path.join(build, "bin", "strata"), "--benchmark", "/etc", sources["oci:"]],
                                  capture_output=True, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
            if proc.returncode != 0:
                sys.exit(f"strata --benchmark failed: {proc.stderr}")
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"GUI, real image (oci:): merged tree shown {med(r['merged_tree_shown_ms'] for r in results):.0f} ms after start, "
              f"first paint after the scan {med(r['first_paint_after_scan_ms'] for r in results):.0f} ms")


if os.environ.get("STRATA_BENCH_STACK", "1") == "1":
    main()
if os.environ.get("STRATA_BENCH_REAL", "1") == "1":
    real_image_bench()
if os.environ.get("STRATA_BENCH_GUI", "1") == "1" and os.environ.get("STRATA_BENCH_STACK", "1") == "1":
    gui_bench()
