#!/usr/bin/env python3
"""Reference LTP dump for test_ltp: decodes every PC and TC of a Unicode PST
with the project's independent Python tools (shared/tools/pst/ltpdump.py)
and prints one canonical line per property / table:
  PC <nid> <tag> <hex of the stored value bytes>    (inline values as 4-byte LE)
  TC <nid> <ncols> <rowsize> <rows> <tag@ib/cb/bit ...>
Usage: ltp_ref.py SHARED_TOOLS_DIR FILE.pst"""
import struct, sys
sys.path.insert(0, sys.argv[1])
from pstdump import Pst
from ltpdump import node_data, subnodes, HN, bth_records, tc_info

INLINE = {0x2: 2, 0x3: 4, 0x4: 4, 0xA: 4, 0xB: 1}

p = Pst(sys.argv[2]); p.walk()
for e in p.nodes:
    nid = e[0] & 0xffffffff
    if not e[1]: continue
    blocks = node_data(p, e[1])
    if len(blocks[0]) < 4 or blocks[0][2] != 0xEC: continue
    hn = HN(blocks)
    if hn.client == 0xBC:
        subs = subnodes(p, e[2])
        cbkey, cbent, recs = bth_records(hn, hn.root)
        for k, v in recs:
            pid = struct.unpack('<H', k)[0]; ptype, hnid = struct.unpack('<HI', v)
            if ptype in INLINE:
                val = struct.pack('<I', hnid)[:INLINE[ptype]]
            elif hnid == 0:
                val = b''
            elif hnid & 0x1f == 0:
                val = hn.get(hnid)
            else:
                sd, ss = subs[hnid]; val = b''.join(node_data(p, sd))
            print('PC %#x %08X %s' % (nid, (pid << 16) | ptype, val.hex()))
    elif hn.client == 0x7C:
        ti = tc_info(p, e)
        print('TC %#x %d %d %d %s' % (nid, ti['ccols'], ti['rgib'][3], ti['rows'],
              ' '.join('%08X@%d/%d/%d' % c for c in ti['cols'])))
