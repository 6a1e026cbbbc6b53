#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of pvbus-mmio-map (make check: the step pvbus-tools).

The fixtures in testdata/ are what make demo's guest printed while its
pci-pvbus bus was up: /proc/iomem (demo.iomem) and the debugfs map
(demo.mmio).  Each case runs the tool as a program, as a user would.
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, 'pvbus-mmio-map')
DATA = os.path.join(HERE, 'testdata')
NS = '{http://www.w3.org/2000/svg}'


def run(iomem, mmio, default=False):
    """Run the tool on /proc/iomem's text and the debugfs maps' (one, or a
    list: the first root's "mmio", the others' "mmio-PVBS0001:N"), named
    on the command line or, with @default, found where the tool looks by
    default (PVBUS_DEBUGFS for /sys/kernel/debug/pvbus/mmio): (exit
    status, SVG root or None, stderr)."""
    maps = mmio if isinstance(mmio, list) else [mmio]
    with tempfile.TemporaryDirectory() as d:
        iomem_path = os.path.join(d, 'iomem')
        with open(iomem_path, 'w') as f:
            f.write(iomem)
        args, env = [], dict(os.environ)
        for i, text in enumerate(maps):
            p = os.path.join(d, 'mmio' + (f'-PVBS0001:{i:02x}' if i else ''))
            with open(p, 'w') as f:
                f.write(text)
            args += ['--debugfs', p]
        if default:
            args = []
            env['PVBUS_DEBUGFS'] = os.path.join(d, 'mmio')
        out = os.path.join(d, 'map.svg')
        p = subprocess.run([sys.executable, TOOL, '--iomem', iomem_path,
                            *args, '-o', out], env=env,
                           capture_output=True, text=True, check=False)
        root = ET.parse(out).getroot() if p.returncode == 0 else None
        return p.returncode, root, p.stderr


def texts(root):
    return [t.text or '' for t in root.iter(NS + 'text')]


def fixture(name):
    with open(os.path.join(DATA, name)) as f:
        return f.read()


class DemoMap(unittest.TestCase):
    """The demo guest's map."""

    @classmethod
    def setUpClass(cls):
        cls.rc, cls.root, cls.err = run(fixture('demo.iomem'),
                                        fixture('demo.mmio'))

    def test_exit_status(self):
        self.assertEqual(self.rc, 0, self.err)

    def test_one_band_per_window(self):
        heads = [t for t in texts(self.root)
                 if re.match(r'pvbus (low|high) window: ', t)]
        self.assertEqual(heads, [
            'pvbus low window: 0xfd000000-0xfe7fffff (24 MiB)',
            'pvbus high window: 0x800000000-0x8ffffffff (4 GiB)'])

    def test_gap_between_windows_said(self):
        self.assertIn('... 28 GiB not in a window left out ...',
                      texts(self.root))

    def test_every_range_in_the_key(self):
        key = ' '.join(texts(self.root))
        for want in ('framebuffer (screen_info)',
                     'framebuffer (PCI 0000:00:02.0)',
                     'reserved (pvbus.reserve)', 'reserved (firmware)',
                     'reserved (host)', 'pci-pvbus 9a0b:00 config',
                     'pci-pvbus 9a0b:00 low BARs',
                     'pci-pvbus 9a0b:00 high BARs', '9a0b:00:00.0',
                     '9a0b:00:01.0', 'vesafb'):
            self.assertIn(want, key)

    def test_reservation_drawn_once(self):
        # From the debugfs map only, not again from /proc/iomem.
        titles = [t.text for t in self.root.iter(NS + 'title')]
        merged = [t for t in titles if ' + ' in t]
        self.assertEqual(merged, [])

    def test_to_scale(self):
        # The 16 MiB framebuffer fills 16/24 of the low window's band.
        rects = {r.find(NS + 'title').text: float(r.get('width'))
                 for r in self.root.iter(NS + 'rect')
                 if r.find(NS + 'title') is not None}
        band = 1000 - 2 * 20
        fb = rects['framebuffer (screen_info): 0xfd000000-0xfdffffff '
                   '(16 MiB)']
        self.assertAlmostEqual(fb, band * 16 / 24, delta=0.1)

    def test_crowded_part_enlarged(self):
        self.assertIn('pvbus high window, 0x800000000-0x802ffffff '
                      '(48 MiB) enlarged:', texts(self.root))


class BadInput(unittest.TestCase):
    """What the tool refuses, with a message and exit status 1."""

    CASES = (
        # name, iomem, debugfs map, message
        ('no window', fixture('demo.iomem'),
         'space pvbus (published)\nsources     none\n',
         'no pvbus window'),
        ('iomem read by a user', re.sub(r'[0-9a-f]+-[0-9a-f]+ :',
                                        '00000000-00000000 :',
                                        fixture('demo.iomem')),
         fixture('demo.mmio'), 'shows no addresses'),
    )

    def test_refused(self):
        for name, iomem, mmio, msg in self.CASES:
            with self.subTest(name):
                rc, _, err = run(iomem, mmio)
                self.assertEqual(rc, 1)
                self.assertIn(msg, err)


class Parsing(unittest.TestCase):
    """Inputs the picture must survive."""

    def test_two_spaces(self):
        mmio = ('space pvbus.0 (published)\n'
                'window      0x00000000c0000000-0x00000000c0ffffff w0\n'
                'sources     none\n'
                'space pvbus.1 (published)\n'
                'window      0x00000000d0000000-0x00000000d0ffffff w1\n'
                'sources     host\n')
        rc, root, err = run('', mmio)
        self.assertEqual(rc, 0, err)
        heads = [t for t in texts(root) if t.startswith('space ')]
        self.assertEqual(len(heads), 2)

    def test_two_roots(self):
        """Each bus root's map is a file of its own: every one is read,
        named on the command line or found beside the first."""
        maps = ['space pvbus (published)\n'
                'window      0x00000000c0000000-0x00000000c0ffffff w0\n',
                'space pvbus PVBS0001:01 (published)\n'
                'window      0x00000000d0000000-0x00000000d0ffffff w1\n']
        for default in (False, True):
            with self.subTest(default=default):
                rc, root, err = run('', maps, default)
                self.assertEqual(rc, 0, err)
                heads = [t for t in texts(root) if t.startswith('space ')]
                self.assertEqual(len(heads), 2)

    def test_unknown_lines_skipped(self):
        mmio = fixture('demo.mmio') + 'something new 1 2 3\n'
        rc, _, err = run(fixture('demo.iomem'), mmio)
        self.assertEqual(rc, 0, err)

    def test_names_escaped(self):
        mmio = ('space pvbus (published)\n'
                'window      0x00000000c0000000-0x00000000c0ffffff a<b&"c"\n')
        rc, root, err = run('', mmio)
        self.assertEqual(rc, 0, err)
        self.assertIn('a<b&"c": 0xc0000000-0xc0ffffff (16 MiB)',
                      texts(root))


if __name__ == '__main__':
    unittest.main(verbosity=2)
