#!/usr/bin/env python3
"""Generates the large PST files of the benchmarks (tools/bench.sh).

Runs the shared prototype bulk writer, mkpst.py (found through $MKPST_DIR,
by default ../shared/tools/pst beside the tree), and lifts three of its size
limits by replacing functions at run time, without copying it:
  - BTH: mkpst writes one leaf (at most 447 rows in a table's row index);
    here the BTH gets intermediate levels (bIdxLevels) as [MS-PST] allows.
  - data trees: mkpst stops at one XBLOCK (1021 blocks, 8 MB); here an
    XXBLOCK is written above XBLOCKs when needed.
  - TC rows: mkpst grows the row matrix by bytes concatenation (quadratic
    in the row count); make_tc below builds the same table in linear time.
  - AMap pass: mkpst scans every allocation once per AMap page; here each
    page sees only its own allocations (same result, linear time).
Delivery times differ per message (a hash of the message number), so that
sorting by PR_MESSAGE_DELIVERY_TIME does real work.

usage: benchdata.py OUT.pst N [--no-recipients]
"""
import os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get('MKPST_DIR', os.path.join(here, '..', '..', 'shared', 'tools', 'pst')))
import mkpst

XMAX = (8176 - 8) // 8          # BIDs in one XBLOCK / XXBLOCK
HMAX = 3580                     # largest heap allocation


def key_value(k):
    return int.from_bytes(k, 'little')


def bth(heap, cbkey, cbent, records, hdr_hid=None):
    records = sorted(records, key=lambda r: key_value(r[0]))
    if hdr_hid is None:
        hdr_hid = heap.alloc(b'\0' * 8)
    levels, root = 0, 0
    if records:
        per = HMAX // (cbkey + cbent)
        items = []
        for i in range(0, len(records), per):
            chunk = records[i:i + per]
            items.append((chunk[0][0], heap.alloc(b''.join(k + v for k, v in chunk))))
        while len(items) > 1:
            levels += 1
            per = HMAX // (cbkey + 4)
            items = [(items[i][0], heap.alloc(b''.join(k + struct.pack('<I', h) for k, h in items[i:i + per])))
                     for i in range(0, len(items), per)]
        root = items[0][1]
    heap.replace(hdr_hid, struct.pack('<BBBBI', 0xB5, cbkey, cbent, levels, root))
    return hdr_hid


def tree_of_blocks(w, bids, total):
    if len(bids) == 1:
        return bids[0]
    if len(bids) <= XMAX:
        return w.block(struct.pack('<BBHI', 1, 1, len(bids), total) + struct.pack('<%dQ' % len(bids), *bids),
                       internal=True)
    # XBLOCKs of whole 8176-byte blocks, under one XXBLOCK
    xs = []
    for i in range(0, len(bids), XMAX):
        part = bids[i:i + XMAX]
        size = min(total - i * 8176, len(part) * 8176)
        xs.append(w.block(struct.pack('<BBHI', 1, 1, len(part), size) + struct.pack('<%dQ' % len(part), *part),
                          internal=True))
    assert len(xs) <= XMAX
    return w.block(struct.pack('<BBHI', 1, 2, len(xs), total) + struct.pack('<%dQ' % len(xs), *xs), internal=True)


def data_tree(self, data):
    if len(data) <= 8176:
        return self.block(data)
    return tree_of_blocks(self, [self.block(data[i:i + 8176]) for i in range(0, len(data), 8176)], len(data))


def hn_tree(self, data):
    if isinstance(data, (bytes, bytearray)):
        return self.data_tree(data)
    if len(data) == 1:
        return self.block(data[0])
    # heap blocks are not all 8176 bytes: lcbTotal is the sum, and an
    # XXBLOCK's XBLOCK sizes are the sums of their own blocks
    bids = [self.block(b) for b in data]
    if len(bids) <= XMAX:
        return self.block(struct.pack('<BBHI', 1, 1, len(bids), sum(map(len, data)))
                          + struct.pack('<%dQ' % len(bids), *bids), internal=True)
    xs = []
    for i in range(0, len(bids), XMAX):
        part = bids[i:i + XMAX]
        xs.append(self.block(struct.pack('<BBHI', 1, 1, len(part), sum(map(len, data[i:i + XMAX])))
                             + struct.pack('<%dQ' % len(part), *part), internal=True))
    return self.block(struct.pack('<BBHI', 1, 2, len(xs), sum(map(len, data)))
                      + struct.pack('<%dQ' % len(xs), *xs), internal=True)


class UsedByAMap:
    """self.used of mkpst's Writer: finish() iterates it once per AMap page,
    in page order; each pass yields only the allocations of that page."""
    def __init__(self):
        self.buckets, self.passes = {}, 0

    def append(self, entry):
        self.buckets.setdefault((entry[0] - 0x4400) // mkpst.AMAP_SPAN, []).append(entry)

    def __iter__(self):
        k = self.passes
        self.passes += 1
        return iter(self.buckets.get(k, []))


orig_init = mkpst.Writer.__init__


def writer_init(self, crypt=1):
    orig_init(self, crypt)
    self.used = UsedByAMap()


def block(self, data, internal=False):
    bid = self.next_bid | (2 if internal else 0)
    self.next_bid += 4
    cb = len(data)
    assert cb <= 8176
    stored = bytes(data)
    if not internal and self.crypt == 1:
        stored = stored.translate(mkpst.PERM[:256])
    size = (cb + 16 + 63) & ~63
    ib = self._alloc(size, 64)
    self.buf[ib:ib + cb] = stored
    self.buf[ib + size - 16: ib + size] = struct.pack('<HHIQ', cb, mkpst.sig(ib, bid), mkpst.crc(stored), bid)
    self.blocks.append((bid, ib, cb, 1))
    return bid


# per-message delivery times: the subject is encoded before the times, in
# the message's PC and in its contents-table row alike
current = [0]
orig_enc = mkpst.enc


def enc(ptype, v):
    if ptype == 0x1F and v.startswith('Hello from Wine #'):
        current[0] = int(v[17:])
    if ptype == 0x40:
        i = current[0]
        v = v + ((i * 2654435761) % 1000000007) * 10000000   # seconds apart, shuffled
    return orig_enc(ptype, v)


def make_tc(cols, rows, subs=None):
    """A table context with the layout mkpst uses (columns given with their
    offsets), the row matrix in a subnode when it exceeds one allocation."""
    h = mkpst.Heap(0x7C)
    ri_hdr = h.alloc(b'\0' * 8)
    info_hid = h.alloc(b'\0' * (22 + 8 * len(cols)))
    cols = sorted(cols)
    end4 = max([c[1] + c[2] for c in cols if c[2] >= 4] + [0])
    end2 = max([c[1] + c[2] for c in cols if c[2] == 2] + [end4])
    end1 = max([c[1] + c[2] for c in cols if c[2] == 1] + [end2])
    rowsize = end1 + (len(cols) + 7) // 8
    per_block = 8176 // rowsize
    out = bytearray()
    index = []
    for n, (rowid, vals) in enumerate(rows):
        if n and n % per_block == 0 and len(rows) * rowsize > HMAX:
            out.extend(b'\0' * (-len(out) % 8176))     # rows never straddle blocks
        row = bytearray(rowsize)
        vals = dict(vals)
        vals[0x67F20003] = rowid
        vals.setdefault(0x67F30003, 0)
        for tag, ib, cb, bit in cols:
            if tag not in vals:
                continue
            pt = tag & 0xFFFF
            raw = mkpst.enc(pt, vals[tag])
            if pt in (0x1F, 0x102) or (cb == 4 and pt != 0x3):
                raw = struct.pack('<I', h.alloc(raw) if raw else 0)
            row[ib:ib + cb] = raw[:cb].ljust(cb, b'\0')
            row[end1 + bit // 8] |= 0x80 >> (bit % 8)
        out.extend(row)
        index.append((struct.pack('<I', rowid), struct.pack('<I', n)))
    matrix = bytes(out)
    if len(rows) * rowsize > HMAX:
        hid_rows = subs.add(matrix)
    else:
        hid_rows = h.alloc(matrix) if rows else 0
    hid_ri = bth(h, 4, 4, index, ri_hdr)
    info = struct.pack('<BBHHHHIII', 0x7C, len(cols), end4, end2, end1, rowsize, hid_ri, hid_rows, 0)
    info += b''.join(struct.pack('<IHBB', *c) for c in cols)
    h.replace(info_hid, info)
    h.root = info_hid
    return h.build()


mkpst.bth = bth
mkpst.make_tc = make_tc
mkpst.enc = enc
mkpst.Writer.__init__ = writer_init
mkpst.Writer.block = block
mkpst.Writer.data_tree = data_tree
mkpst.Writer.hn_tree = hn_tree

if __name__ == '__main__':
    out, n = sys.argv[1], int(sys.argv[2])
    omit = ('recipients',) if '--no-recipients' in sys.argv[3:] else ()
    data = mkpst.build(n, omit=omit)
    tmp = out + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.rename(tmp, out)
    print(out, n, 'messages', len(data), 'bytes')
