#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tabulate the pvbus benchmarks (issue 14) from a kunit.py raw log.

Reads the "# bench: P1 key=value ..." diagnostics that pvbus_mmio_bench
and pci_pvbus_bench print, and with --p4 the "bench-p4 KIND SIDE N RUN US"
lines of p4.sh (the guest benchmark), prints a table per benchmark, and
writes results.json, results.md, p1.svg and p2.svg into --out.  Every ratio is
against the reference measured in the same run.  Exits non-zero if the
output does not parse or a benchmark printed nothing; it never judges a
time (the targets of issue 14 are reported, not enforced).
"""

import argparse
import json
import math
import os
import platform
import re
import sys

LINE = re.compile(r'#.*?\bbench: (P1|P2|P3|P3fit|T) (.*)$')
KV = re.compile(r'(\w+)=(\S+)')
SUITE = re.compile(r'^\s*(not ok|ok) \d+ (pvbus_mmio_bench|pci_pvbus_bench)\b')


def num(v):
    """An integer if it is one, else the string."""
    try:
        return int(v)
    except ValueError:
        return v


def parse(path):
    """The bench lines of a raw log, by benchmark; the suites' verdicts."""
    res = {'P1': [], 'P2': [], 'P3': [], 'P3fit': [], 'T': []}
    suites = {}
    with open(path, errors='replace') as f:
        for line in f:
            m = LINE.search(line)
            if m:
                res[m.group(1)].append(
                    {k: num(v) for k, v in KV.findall(m.group(2))})
                continue
            m = SUITE.match(line)
            if m:
                suites[m.group(2)] = m.group(1) == 'ok'
    return res, suites


def slope(points):
    """Least-squares slope of log(y) against log(x)."""
    pts = [(math.log(x), math.log(max(y, 1))) for x, y in points]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den else None


P4LINE = re.compile(r'^bench-p4 ([a-z-]+) (pvbus|native) (\d+) (\d+) (-?\d+)$')


def parse_p4(path):
    """p4.sh's lines: {kind: {(side, n): [microseconds, ...]}}; bad lines."""
    res, bad = {}, []
    with open(path, errors='replace') as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            m = P4LINE.match(line)
            if not m or int(m.group(5)) < 0:
                bad.append(line)
                continue
            kind, side, n, _, us = m.groups()
            res.setdefault(kind, {}).setdefault(
                (side, int(n)), []).append(int(us))
    return res, bad


def median(xs):
    xs = sorted(xs)
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


P4KINDS = (
    ('nvme', 'NVMe: module load to block device ready'),
    ('first-root', 'first kernel: start to root file system mounted'),
    ('first-init-root', 'first kernel: /init to root file system mounted'),
    ('kdump-root', 'kdump kernel: start to root file system mounted'),
    ('kdump-init-root', 'kdump kernel: /init to root file system mounted'),
)


def analyse_p4(p4):
    """P4's tables (medians of microseconds) and figures."""
    out = {'tables': {}, 'figures': {}}
    rows = []
    for (side, n), xs in sorted(p4.get('bringup', {}).items(),
                                key=lambda kv: kv[0][1]):
        med = median(xs)
        rows.append([n, len(xs), human_ns(med * 1000),
                     human_ns(med * 1000 / n), human_ns(min(xs) * 1000),
                     human_ns(max(xs) * 1000)])
    if rows:
        out['tables']['P4 bring-up'] = table(
            ['functions', 'runs', 'insmod to all bound (median)',
             'per function', 'fastest', 'slowest'], rows)
    rows = []
    for kind, what in P4KINDS:
        d = p4.get(kind, {})
        pv, nat = d.get(('pvbus', 1)), d.get(('native', 1))
        if not pv or not nat:
            continue
        r = median(pv) / max(median(nat), 1)
        rows.append([what, f'{len(pv)}/{len(nat)}',
                     human_ns(median(pv) * 1000),
                     human_ns(median(nat) * 1000), f'{r:.2f}x'])
        if kind in ('nvme', 'kdump-root'):
            name = ('P4 NVMe bring-up, pci-pvbus / native (target <= 1.2)'
                    if kind == 'nvme' else
                    'P4 kdump to root mounted, pci-pvbus / native '
                    '(target <= 1.2)')
            out['figures'][name] = (round(r, 2), r <= 1.2)
    if rows:
        out['tables']['P4 pci-pvbus against native'] = table(
            ['what', 'runs (pvbus/native)', 'pci-pvbus (median)',
             'native (median)', 'pvbus / native'], rows)
    return out


def human_ns(ns):
    for unit, div in (('s', 1e9), ('ms', 1e6), ('us', 1e3)):
        if ns >= div:
            return f'{ns / div:.3g} {unit}'
    return f'{ns:.0f} ns'


def size_name(mib):
    if mib >= 1048576 and mib % 1048576 == 0:
        return f'{mib // 1048576} TiB'
    return f'{mib // 1024} GiB' if mib >= 1024 else f'{mib} MiB'


def ratio(r):
    return f'{r:,.0f}x' if r >= 10 else f'{r:.2f}x'


def table(head, rows):
    """A Markdown table (also fine as plain text)."""
    out = ['| ' + ' | '.join(head) + ' |',
           '|' + '|'.join('---' for _ in head) + '|']
    out += ['| ' + ' | '.join(str(c) for c in r) + ' |' for r in rows]
    return '\n'.join(out)


P2KEYS = ('pvbus_ns', 'ref_ns', 'kernel_ns', 'walk_ps', 'find_ns')


def p2_medians(lines):
    """P2 per N, the median of each time over the repetitions; the fitted
    growth exponents of each repetition, by side."""
    reps, byn = {}, {}
    for r in lines:
        reps.setdefault(r.get('rep', 0), []).append(r)
        byn.setdefault(r['n'], []).append(r)
    rows = []
    for n, rs in sorted(byn.items()):
        row = {'n': n, 'ref_steps': rs[0]['ref_steps'], 'reps': len(rs)}
        for k in P2KEYS:
            if all(isinstance(r.get(k), int) for r in rs):
                row[k] = median([r[k] for r in rs])
        rows.append(row)
    fits = {}
    for rs in reps.values():
        for side in ('pvbus', 'kernel', 'walk', 'find', 'ref'):
            if side == 'walk':
                if not all('walk_ps' in r for r in rs):
                    continue
                pts = [(r['n'], r['walk_ps']) for r in rs]
            elif all(side + '_ns' in r for r in rs):
                pts = [(r['n'], r[side + '_ns']) for r in rs]
            else:
                continue
            s = slope(pts)
            if s is not None:
                fits.setdefault(side, []).append(s)
    return rows, fits


def analyse(res):
    """Tables and the issue's figures."""
    out = {'tables': {}, 'figures': {}}
    p1 = sorted(res['P1'], key=lambda r: r['size_mib'])
    rows = []
    for r in p1:
        r['ratio'] = r['ref_ns'] / max(r['pvbus_ns'], 1)
        rows.append([size_name(r['size_mib']), human_ns(r['pvbus_ns']),
                     human_ns(r['ref_ns']), r['ref_steps'],
                     r['ref_method'], ratio(r['ratio'])])
    out['tables']['P1'] = table(
        ['window', 'pvbus', 'stride scan', 'scan steps', 'scan timing',
         'scan / pvbus'], rows)
    by = {r['size_mib']: r for r in p1}
    if 1024 in by and 1048576 in by:
        g = by[1048576]['pvbus_ns'] / max(by[1024]['pvbus_ns'], 1)
        out['figures']['P1 pvbus 1 TiB / 1 GiB (target <= 2)'] = (
            round(g, 2), g <= 2)
    if 262144 in by:
        r = by[262144]
        out['figures']['P1 scan / pvbus at 256 GiB (target >= 100000)'] = (
            round(r['ratio']), r['ratio'] >= 100000,
            r['ref_method'])

    p2, fits = p2_medians(res['P2'])
    rows = []
    for r in p2:
        r['ratio'] = r['ref_ns'] / max(r['pvbus_ns'], 1)
        row = [r['n'], human_ns(r['pvbus_ns'])]
        if 'kernel_ns' in r:
            row += [human_ns(r['kernel_ns']),
                    human_ns(max(r['pvbus_ns'] - r['kernel_ns'], 0)),
                    f"{r['walk_ps'] / 1000:.2f} ns",
                    human_ns(r['find_ns'])]
        row += [human_ns(r['ref_ns']), r['ref_steps'], ratio(r['ratio'])]
        rows.append(row)
    head = ['live N', 'pvbus alloc+free']
    if p2 and 'kernel_ns' in p2[0]:
        head += ["kernel's share", "pvbus's own", 'walk per child',
                 'pvbus_mmio_find']
    head += ['stride scan alloc+free', 'scan steps', 'scan / pvbus']
    out['tables']['P2'] = table(head, rows)
    names = {'pvbus': 'pvbus', 'ref': 'stride scan',
             'kernel': "kernel's share",
             'walk': 'one walk, per child (0: no cache effect)',
             'find': 'pvbus_mmio_find'}
    rows = []
    for side, fs in fits.items():
        med = median(fs)
        spread = f'{min(fs):.2f} to {max(fs):.2f}'
        # The same fit once more, on the medians over the repetitions at
        # each N: one exponent less moved by a single slow repetition.
        k = 'walk_ps' if side == 'walk' else side + '_ns'
        mm = slope([(r['n'], r[k]) for r in p2 if k in r])
        rows.append([names[side], f'{med:.2f}', spread,
                     f'{mm:.2f}' if mm is not None else '-', len(fs)])
        key = f'P2 growth exponent, {names[side]}'
        if side == 'pvbus':
            key += ' (target <= 1; median, min, max over repetitions)'
            out['figures'][key] = (round(med, 2), med <= 1.0,
                                   round(min(fs), 2), round(max(fs), 2))
            if mm is not None:
                out['figures']['P2 growth exponent, pvbus, fit of the '
                               'medians at each N (target <= 1)'] = (
                    round(mm, 2), mm <= 1.0)
        elif side == 'ref':
            out['figures'][key] = (round(med, 2),)
    out['tables']['P2 growth exponents'] = table(
        ['what', 'exponent (median of the fits)', 'min to max',
         'fit of the medians', 'repetitions'], rows)
    by = {r['n']: r for r in p2}
    if 1024 in by:
        out['figures']['P2 scan / pvbus at N=1024 (target >= 50)'] = (
            round(by[1024]['ratio'], 1), by[1024]['ratio'] >= 50)

    rows = []
    pow2_ok = True
    for r in res['P3']:
        for side in ('pvbus', 'disc', 'hv'):
            r[side + '_ratio'] = r[side + '_used'] / r['sum']
        if r['pvbus_ratio'] != 1.0:  # every set is of powers of two
            pow2_ok = False
        rows.append([r['profile'], r['mode'], r['sum'],
                     f"{r['pvbus_ratio']:.2f}", f"{r['disc_ratio']:.2f}",
                     f"{r['hv_ratio']:.2f}"])
    out['tables']['P3 consumed'] = table(
        ['profile', 'mode', 'sum of BARs (bytes)', 'pvbus used/sum',
         'discovery used/sum', 'hv used/sum'], rows)
    if res['P3']:
        out['figures']['P3 pvbus consumed / sum = 1.00 (power-of-two sets)'] = (
            pow2_ok,)
    rows = []
    fit_ok = True
    for r in res['P3fit']:
        cap = r['cap']
        if r['pvbus_fit'] < r['disc_fit']:
            fit_ok = False

        def c(v, cap=cap):
            return f'>= {v}' if v >= cap else str(v)
        rows.append([r['profile'], r['mode'], r['window'],
                     c(r['pvbus_fit']), c(r['disc_fit']), c(r['hv_fit'])])
    out['tables']['P3 devices that fit'] = table(
        ['profile', 'mode', 'low window', 'pvbus', 'discovery order', 'hv'],
        rows)
    if res['P3fit']:
        out['figures']['P3 devices fit >= discovery order, every window'] = (
            fit_ok,)
    return out


def fmt_secs(s):
    s = round(s)
    return f'{s // 60} min {s % 60} s' if s >= 60 else f'{s} s'


def time_table(res, stages):
    """Where the run's time went: bench.sh's stages (wall, seconds) and,
    inside the benchmark kernel, each KUnit case (its own clock)."""
    rows = [[name, fmt_secs(secs)] for name, secs in stages]
    rows += [[f"{r['case']} in the benchmark kernel", fmt_secs(r['ms'] / 1000)]
             for r in res['T'] if isinstance(r.get('ms'), int)]
    return table(['stage', 'wall time'], rows) if rows else None


def plots(res, out):
    """p1.svg and p2.svg, log-log."""
    import matplotlib
    matplotlib.use('Agg')
    # Text as text, and no random ids: small files that diff well.
    matplotlib.rcParams['svg.fonttype'] = 'none'
    matplotlib.rcParams['svg.hashsalt'] = 'pvbus-bench'
    import matplotlib.pyplot as plt

    p1 = sorted(res['P1'], key=lambda r: r['size_mib'])
    p2, _ = p2_medians(res['P2'])
    for name, rows, x, xlabel, title in (
            ('p1', p1, 'size_mib', 'window size (MiB)',
             'P1: a request that cannot fit'),
            ('p2', p2, 'n', 'live allocations N',
             'P2: alloc + free among N live allocations')):
        if not rows:
            continue
        fig, ax = plt.subplots(figsize=(6, 4))
        xs = [r[x] for r in rows]
        ax.loglog(xs, [r['pvbus_ns'] for r in rows], 'o-', label='pvbus')
        ax.loglog(xs, [r['ref_ns'] for r in rows], 's--',
                  label="vmbus_allocate_mmio() stride scan")
        if name == 'p2' and all('kernel_ns' in r for r in rows):
            ax.loglog(xs, [r['kernel_ns'] for r in rows], 'v:',
                      label="kernel's share: allocate_resource() + "
                            "release_resource()")
        if name == 'p1':
            ext = [r for r in rows if r['ref_method'] != 'measured']
            if ext:
                ax.loglog([r[x] for r in ext], [r['ref_ns'] for r in ext],
                          'x', color='red', markersize=10,
                          label='scan: extrapolated')
        ax.set_xlabel(xlabel)
        ax.set_ylabel('time per operation (ns)')
        ax.set_title(title)
        ax.grid(True, which='both', alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, name + '.svg'))
        plt.close(fig)


def machine():
    model = ''
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return {'cpu': model, 'cpus': os.cpu_count(),
            'arch': platform.machine(),
            'loadavg': open('/proc/loadavg').read().split()[:3]
            if os.path.exists('/proc/loadavg') else None,
            'kernel_under_test': 'Linux 6.1 UML (kunit.py, '
                                 'tools/testing/bench/bench.kunitconfig)'}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('log')
    ap.add_argument('--out', required=True)
    ap.add_argument('--smoke', action='store_true')
    ap.add_argument('--p4', help="p4.sh's output (the guest benchmark)")
    ap.add_argument('--load', help="bench.sh's samples of the load "
                    "average (HH:MM:SS 1min 5min 15min per line)")
    ap.add_argument('--stage', action='append', default=[],
                    metavar='NAME=SECONDS',
                    help="a stage of bench.sh and its wall time, for the "
                         "table of where the time went")
    a = ap.parse_args()

    res, suites = parse(a.log)
    p4, p4bad = parse_p4(a.p4) if a.p4 else ({}, [])
    bad = [k for k in ('P1', 'P2', 'P3', 'P3fit') if not res[k]]
    for k in ('P1', 'P2'):
        for r in res[k]:
            if not all(isinstance(r.get(f), int)
                       for f in ('pvbus_ns', 'ref_ns')):
                bad.append(k + ' (unparsable line)')
    for k in ('P3', 'P3fit'):
        for r in res[k]:
            if k == 'P3' and not (isinstance(r.get('sum'), int) and r['sum']):
                bad.append(k + ' (unparsable line)')
    failed = [s for s, ok in suites.items() if not ok]
    missing = [s for s in ('pvbus_mmio_bench', 'pci_pvbus_bench')
               if s not in suites]

    if a.p4:
        if p4bad:
            bad.append(f'P4 ({len(p4bad)} unparsable lines)')
        for kind in ('bringup', 'nvme', 'kdump-root'):
            if not p4.get(kind):
                bad.append(f'P4 {kind}')
        for kind in ('nvme', 'kdump-root'):
            sides = {side for side, _ in p4.get(kind, {})}
            if p4.get(kind) and sides != {'pvbus', 'native'}:
                bad.append(f'P4 {kind} (one side only)')

    stages = []
    for st in a.stage:
        name, _, secs = st.rpartition('=')
        try:
            stages.append((name, int(secs)))
        except ValueError:
            bad.append(f'--stage {st}')

    an = analyse(res) if not bad else {'tables': {}, 'figures': {}}
    if a.p4 and not bad:
        an4 = analyse_p4(p4)
        an['tables'].update(an4['tables'])
        an['figures'].update(an4['figures'])
    os.makedirs(a.out, exist_ok=True)
    load = []
    if a.load and os.path.exists(a.load):
        with open(a.load) as f:
            for line in f:
                w = line.split()
                try:
                    load.append(float(w[1]))
                except (IndexError, ValueError):
                    pass
    t = time_table(res, stages)
    if t:
        an['tables']['Where the time went'] = t
    res_json = dict(res)
    res_json['stages'] = dict(stages)
    res_json['P4'] = {kind: {f'{side} {n}': xs for (side, n), xs in d.items()}
                      for kind, d in p4.items()}
    mach = machine()
    if load:
        mach['load_1min_during_run'] = {
            'samples': len(load), 'min': min(load), 'median': median(load),
            'max': max(load)}
    doc = {'smoke': a.smoke, 'machine': mach, 'results': res_json,
           'suites': suites, 'figures': {k: list(v) for k, v in
                                         an['figures'].items()}}
    with open(os.path.join(a.out, 'results.json'), 'w') as f:
        json.dump(doc, f, indent=1)
    md = ['# pvbus benchmarks' + (' (smoke: tiny sizes)' if a.smoke else ''),
          '', f"Machine: {doc['machine']['cpus']} x {doc['machine']['cpu']}"
          f" ({doc['machine']['arch']}), load {doc['machine']['loadavg']}"
          ' at the end' + (
              f"; 1-minute load during the run {min(load):.1f} to "
              f"{max(load):.1f}, median {median(load):.1f} "
              f"({len(load)} samples)" if load else ''),
          '']
    for name, t in an['tables'].items():
        md += [f'## {name}', '', t, '']
    md += ['## Figures of issue 14', '']
    md += [f'- {k}: {", ".join(str(x) for x in v)}'
           for k, v in an['figures'].items()]
    with open(os.path.join(a.out, 'results.md'), 'w') as f:
        f.write('\n'.join(md) + '\n')
    if not bad:
        plots(res, a.out)

    print('\n'.join(md))
    for what, names in (('no results for', bad), ('failed suite', failed),
                        ('no verdict for suite', missing)):
        if names:
            print(f'bench: {what}: {", ".join(names)}')
    ok = not bad and not failed and not missing
    print(f"bench: {'ok' if ok else 'FAILED'}: results in {a.out}")
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
