#!/usr/bin/env python3
# Fails when a user-visible string of the GUI has no finished Korean translation: runs lupdate over
# the sources into a copy of strata_ko.ts (so new strings show up) and checks every message.
import shutil, subprocess, sys, tempfile, xml.etree.ElementTree as ET

source_dir, lupdate = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    ts = f"{tmp}/strata_ko.ts"
    shutil.copy(f"{source_dir}/translations/strata_ko.ts", ts)
    subprocess.run([lupdate, "-silent", "-no-obsolete", "-locations", "none",
                    f"{source_dir}/views", f"{source_dir}/models", f"{source_dir}/app/strata", "-ts", ts], check=True)
    problems, count = [], 0
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.find("name").text
        for m in ctx.findall("message"):
            count += 1
            t = m.find("translation")
            text = "".join(t.itertext()).strip() if t is not None else ""
            if t is None or t.get("type") in ("unfinished", "vanished", "obsolete") or not text:
                problems.append(f"{name}: {m.find('source').text!r}")
    if problems:
        print(f"{len(problems)} of {count} strings lack a Korean translation:")
        print("\n".join(problems))
        sys.exit(1)
    print(f"all {count} strings are translated into Korean")
