/*
 * PST engine: strict checker
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * The checker walks every structure itself (it does not stop at the first
 * problem the way the reader does) and reports each finding with its
 * location through the caller's callback.  Passes, in order:
 *
 *   1. header      CRCs, sentinel, ibFileEof vs file size, bidNext* ranges
 *   2. B-trees     page CRC / type / signature / trailer BID, cEnt, cbEnt,
 *                  levels, key order, parent key == child's first key, keys
 *                  within the parent's range, pages reached twice (cycles)
 *   3. blocks      bounds, trailer, signature, CRC, XBLOCK / SLBLOCK shape
 *   4. references  every BID an NBT entry or internal block names exists;
 *                  cRef == references + 1; nidParent exists
 *   5. space       AMap pages; no 64-byte slot both used and free; no slot
 *                  used twice; cbAMapFree == free slots; fAMapValid == 2
 *   6. LTP         every heap, PC and TC (including those of attachments,
 *                  recipient tables and embedded messages) decodes
 *   7. messaging   hierarchy TC rows == child folders (NBT parent links),
 *                  cached counts == folder PC values, contents / FAI TC rows
 *                  == messages, contents rows == message properties
 *
 * ALLOWED EXCEPTIONS (what Outlook itself leaves; reported, but under their
 * own codes so callers can tell them from damage):
 *   - PST_CHK_AMAP_LEAK: Outlook-written files routinely contain 64-byte
 *     slots marked allocated in the AMap that no B-tree references (freed
 *     space Outlook does not clear until it next reuses it; 120-248 slots in
 *     three of the sample files).  The space is wasted, nothing is damaged,
 *     and Outlook and every reader accept it, so it is a separate finding
 *     code rather than PST_CHK_AMAP.  Likewise a block no one references
 *     whose cRef is 1 (one in javalibpst_dist-list.pst): leaked, consistent
 *     with the references + 1 rule, harmless.
 *   - PST_CHK_MESSAGING "has column 0x30130102 that the object lacks": the
 *     pstsdk samples (written by Outlook) carry PR_CHANGE_KEY in the
 *     contents-table row of their message but not on the message itself.
 *     Outlook fills that column from replication state, not from the PC.
 *   - PST_CHK_MESSAGING "column 0xe080003 differs" in pstsdk_submessage.pst:
 *     the contents row caches a PR_MESSAGE_SIZE that Outlook did not refresh
 *     after the message (with its embedded message) was saved again.
 *   These are real inconsistencies, so they stay findings; tests/engine/
 *   test_check.c asserts that exactly this set appears on the samples.
 */

#include <stdio.h>
#include <stdlib.h>

#include "pst_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(pst);

struct chk_block
{
    uint64_t bid;
    uint64_t ib;
    uint16_t cb;
    uint16_t cref;
    uint32_t refs;
    int valid;                  /* read and verified */
};

struct checker
{
    struct pst_file *file;
    void (*cb)(void *ctx, const struct pst_finding *f);
    void *ctx;
    unsigned int count;
    int aborted;
    uint8_t *slots;             /* one byte per 64-byte slot: 1 = used */
    uint64_t nslots;
    uint8_t *pages_seen;        /* one bit per 512-byte page */
    struct chk_block *blocks;
    uint32_t nblocks, cap_blocks;
    struct pst_nbt_entry *nodes;
    uint32_t nnodes, cap_nodes;
    uint64_t max_page_bid;
    struct pst_nbt_entry *by_parent;  /* the nodes sorted by (nidParent, nid), for check_folder */
};

const char *pst_check_code_name(enum pst_check_code code)
{
    switch (code)
    {
    case PST_CHK_HEADER: return "header";
    case PST_CHK_HEADER_CRC: return "header-crc";
    case PST_CHK_PAGE: return "page";
    case PST_CHK_PAGE_CRC: return "page-crc";
    case PST_CHK_BTREE: return "btree";
    case PST_CHK_CYCLE: return "cycle";
    case PST_CHK_BLOCK: return "block";
    case PST_CHK_BLOCK_CRC: return "block-crc";
    case PST_CHK_MISSING: return "missing";
    case PST_CHK_REFCOUNT: return "refcount";
    case PST_CHK_AMAP: return "amap";
    case PST_CHK_AMAP_LEAK: return "amap-leak";
    case PST_CHK_LTP: return "ltp";
    case PST_CHK_MESSAGING: return "messaging";
    case PST_CHK_ABORTED: return "aborted";
    }
    return "unknown";
}

#if defined(__GNUC__)
static void report(struct checker *c, enum pst_check_code code, uint64_t offset, uint32_t nid, uint64_t bid,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
#endif

static void report(struct checker *c, enum pst_check_code code, uint64_t offset, uint32_t nid, uint64_t bid,
                   const char *fmt, ...)
{
    struct pst_finding f;
    char msg[512];
    va_list args;

    va_start(args, fmt);
    pst_vsnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);
    WARN("%s\n", debugstr_a(msg));
    f.code = code;
    f.offset = offset;
    f.nid = nid;
    f.bid = bid;
    f.message = msg;
    c->count++;
    if (c->cb) c->cb(c->ctx, &f);
}

static void abort_check(struct checker *c, int err)
{
    if (c->aborted) return;
    c->aborted = err ? err : PST_E_NOMEM;
    report(c, PST_CHK_ABORTED, ~(uint64_t)0, 0, 0, "check aborted: %s", pst_strerror(c->aborted));
}

/* Marks [ib, ib + size) used; returns the number of slots already used. */
static uint64_t mark_slots(struct checker *c, uint64_t ib, uint64_t size)
{
    uint64_t s, first = ib / 64, last = (ib + size + 63) / 64, dup = 0;

    for (s = first; s < last && s < c->nslots; s++)
    {
        if (c->slots[s]) dup++;
        c->slots[s] = 1;
    }
    return dup;
}

/* ------------------------------------------------------------ header -- */

static void check_header(struct checker *c)
{
    struct pst_file *file = c->file;
    const uint8_t *h = file->header;

    if (pst_crc32(0, h + 8, 471) != pst_rd32(h + 4))
        report(c, PST_CHK_HEADER_CRC, 4, 0, 0, "dwCRCPartial mismatch");
    if (file->unicode && pst_crc32(0, h + 8, 516) != pst_rd32(h + 524))
        report(c, PST_CHK_HEADER_CRC, 524, 0, 0, "dwCRCFull mismatch");
    if (h[file->unicode ? 512 : 460] != 0x80)
        report(c, PST_CHK_HEADER, file->unicode ? 512 : 460, 0, 0, "bSentinel is not 0x80");
    if (file->info.file_eof != file->size)
        report(c, PST_CHK_HEADER, file->unicode ? 184 : 168, 0, 0,
               "ibFileEof %#llx differs from the file size %#llx", (unsigned long long)file->info.file_eof,
               (unsigned long long)file->size);
    if (file->info.file_eof < PST_FIRST_AMAP + PST_PAGE_SIZE
            || (file->info.file_eof - PST_FIRST_AMAP) % PST_AMAP_STRIDE)
        report(c, PST_CHK_HEADER, file->unicode ? 184 : 168, 0, 0,
               "ibFileEof %#llx is not a whole number of AMap ranges", (unsigned long long)file->info.file_eof);
    /* rgbFM / rgbFP are deprecated and ignored: Outlook-written files carry
     * values other than 0xFF there, so they are not checked. */
}

/* ----------------------------------------------------------- B-trees -- */

static int add_block(struct checker *c, const struct pst_bbt_entry *e)
{
    /* the entries come from B-tree pages: only a file of tens of GB could
     * list 2^31 of them; refuse rather than let the capacity wrap */
    if (c->nblocks == c->cap_blocks && c->cap_blocks >= 0x80000000u) return PST_E_NOMEM;
    if (c->nblocks == c->cap_blocks)
    {
        uint32_t cap = c->cap_blocks ? c->cap_blocks * 2 : 256;
        struct chk_block *b = pst_realloc(c->file, c->blocks, cap * sizeof(*b));

        if (!b) return PST_E_NOMEM;
        c->blocks = b;
        c->cap_blocks = cap;
    }
    memset(&c->blocks[c->nblocks], 0, sizeof(c->blocks[0]));
    c->blocks[c->nblocks].bid = e->bid & ~(uint64_t)1;
    c->blocks[c->nblocks].ib = e->ib;
    c->blocks[c->nblocks].cb = e->cb;
    c->blocks[c->nblocks].cref = e->cref;
    c->nblocks++;
    return PST_OK;
}

static int add_node(struct checker *c, const struct pst_nbt_entry *e)
{
    /* the entries come from B-tree pages: only a file of tens of GB could
     * list 2^31 of them; refuse rather than let the capacity wrap */
    if (c->nnodes == c->cap_nodes && c->cap_nodes >= 0x80000000u) return PST_E_NOMEM;
    if (c->nnodes == c->cap_nodes)
    {
        uint32_t cap = c->cap_nodes ? c->cap_nodes * 2 : 256;
        struct pst_nbt_entry *n = pst_realloc(c->file, c->nodes, cap * sizeof(*n));

        if (!n) return PST_E_NOMEM;
        c->nodes = n;
        c->cap_nodes = cap;
    }
    c->nodes[c->nnodes++] = *e;
    return PST_OK;
}

/* lo: the parent entry's key (the child's first key must equal it), hi: the
 * next parent key (exclusive) or ~0. */
static void walk_btree(struct checker *c, uint8_t ptype, uint64_t ib, uint64_t bid, int level,
                       int have_lo, uint64_t lo, uint64_t hi, unsigned int depth)
{
    struct pst_file *file = c->file;
    const char *name = ptype == PST_PTYPE_NBT ? "NBT" : "BBT";
    uint8_t page[PST_PAGE_SIZE];
    struct pst_page_trailer t;
    unsigned int count, max, cb_ent, clevel, expect_ent, i;
    uint64_t prev = 0;
    int ret;

    if (c->aborted) return;
    if (depth >= PST_MAX_DEPTH)
    {
        report(c, PST_CHK_BTREE, ib, 0, bid, "%s deeper than %u levels", name, PST_MAX_DEPTH);
        return;
    }
    if (ib % PST_PAGE_SIZE || ib < PST_PAGE_SIZE || ib > file->size || file->size - ib < PST_PAGE_SIZE)
    {
        report(c, PST_CHK_PAGE, ib, 0, bid, "%s page offset %#llx is outside the file", name,
               (unsigned long long)ib);
        return;
    }
    if (c->pages_seen[ib / PST_PAGE_SIZE / 8] & (1 << (ib / PST_PAGE_SIZE % 8)))
    {
        report(c, PST_CHK_CYCLE, ib, 0, bid, "%s page at %#llx is reached twice", name, (unsigned long long)ib);
        return;
    }
    c->pages_seen[ib / PST_PAGE_SIZE / 8] |= 1 << (ib / PST_PAGE_SIZE % 8);
    if ((ret = pst_page_read_raw(file, ib, page)))
    {
        if (ret == PST_E_CORRUPT) report(c, PST_CHK_PAGE, ib, 0, bid, "%s", file->error);
        else abort_check(c, ret);
        return;
    }
    if (mark_slots(c, ib, PST_PAGE_SIZE))
        report(c, PST_CHK_AMAP, ib, 0, bid, "%s page at %#llx overlaps other data", name, (unsigned long long)ib);
    pst_parse_page_trailer(file, page, &t);
    if (bid > c->max_page_bid) c->max_page_bid = bid;
    if (pst_crc32(0, page, file->page_data) != t.crc)
        report(c, PST_CHK_PAGE_CRC, ib, 0, bid, "%s page CRC mismatch", name);
    if (t.ptype != ptype || t.ptype_repeat != ptype)
    {
        report(c, PST_CHK_PAGE, ib, 0, bid, "%s page has type %#x/%#x", name, t.ptype, t.ptype_repeat);
        return;
    }
    if ((t.bid & ~(uint64_t)1) != (bid & ~(uint64_t)1))
        report(c, PST_CHK_PAGE, ib, 0, bid, "%s page trailer BID %#llx differs from the reference", name,
               (unsigned long long)t.bid);
    if (t.sig != pst_compute_sig(ib, t.bid))
        report(c, PST_CHK_PAGE, ib, 0, bid, "%s page signature mismatch", name);
    count = page[file->bt_entries];
    max = page[file->bt_entries + 1];
    cb_ent = page[file->bt_entries + 2];
    clevel = page[file->bt_entries + 3];
    if (level >= 0 && clevel != (unsigned int)level)
    {
        report(c, PST_CHK_BTREE, ib, 0, bid, "%s page has level %u, its parent expects %d", name, clevel, level);
        return;
    }
    expect_ent = clevel ? file->bt_entry : (ptype == PST_PTYPE_NBT ? file->nbt_entry : file->bbt_entry);
    if (cb_ent != expect_ent)
    {
        report(c, PST_CHK_BTREE, ib, 0, bid, "%s page cbEnt %u, expected %u", name, cb_ent, expect_ent);
        return;
    }
    if (max != file->bt_entries / expect_ent)
        report(c, PST_CHK_BTREE, ib, 0, bid, "%s page cEntMax %u, expected %u", name, max,
               file->bt_entries / expect_ent);
    if (count > file->bt_entries / expect_ent)
    {
        report(c, PST_CHK_BTREE, ib, 0, bid, "%s page cEnt %u exceeds the page", name, count);
        return;
    }
    if (!count && depth)
        report(c, PST_CHK_BTREE, ib, 0, bid, "%s page has no entries", name);
    for (i = 0; i < count && !c->aborted; i++)
    {
        const uint8_t *e = page + i * cb_ent;
        uint64_t key;

        if (clevel) key = pst_rdid(file, e);
        else if (ptype == PST_PTYPE_NBT) key = pst_rd32(e);
        else key = pst_rdid(file, e) & ~(uint64_t)1;
        if (ptype == PST_PTYPE_NBT && file->unicode && pst_rd32(e + 4))
            report(c, PST_CHK_BTREE, ib, (uint32_t)key, 0, "NBT key has high bits set");
        if (i && key <= prev)
            report(c, PST_CHK_BTREE, ib, 0, bid, "%s keys out of order at entry %u (%#llx after %#llx)", name, i,
                   (unsigned long long)key, (unsigned long long)prev);
        if (!i && have_lo && key != lo)
            report(c, PST_CHK_BTREE, ib, 0, bid, "%s page's first key %#llx differs from its parent's key %#llx",
                   name, (unsigned long long)key, (unsigned long long)lo);
        if ((have_lo && key < lo) || key >= hi)
            report(c, PST_CHK_BTREE, ib, 0, bid, "%s key %#llx is outside its parent's range", name,
                   (unsigned long long)key);
        prev = key;
        if (clevel)
        {
            uint64_t k, cbid, cib, next_hi = hi;

            pst_parse_bt_entry(file, e, &k, &cbid, &cib);
            if (i + 1 < count) next_hi = pst_rdid(file, page + (i + 1) * cb_ent);
            walk_btree(c, ptype, cib, cbid, (int)clevel - 1, 1, k, next_hi, depth + 1);
        }
        else if (ptype == PST_PTYPE_NBT)
        {
            struct pst_nbt_entry n;

            pst_parse_nbt_entry(file, e, &n);
            if (add_node(c, &n)) abort_check(c, PST_E_NOMEM);
        }
        else
        {
            struct pst_bbt_entry b;

            pst_parse_bbt_entry(file, e, &b);
            if (add_block(c, &b)) abort_check(c, PST_E_NOMEM);
        }
    }
}

/* ------------------------------------------------------------ blocks -- */

static struct chk_block *find_block(struct checker *c, uint64_t bid)
{
    uint32_t lo = 0, hi = c->nblocks;

    bid &= ~(uint64_t)1;
    while (lo < hi)
    {
        uint32_t mid = (lo + hi) / 2;

        if (c->blocks[mid].bid < bid) lo = mid + 1;
        else hi = mid;
    }
    return lo < c->nblocks && c->blocks[lo].bid == bid ? &c->blocks[lo] : NULL;
}

static int block_cmp(const void *a, const void *b)
{
    const struct chk_block *x = a, *y = b;

    return x->bid < y->bid ? -1 : x->bid > y->bid;
}

static void check_blocks(struct checker *c)
{
    struct pst_file *file = c->file;
    uint32_t i;

    /* qsort's array may not be NULL, even when empty */
    if (c->nblocks) qsort(c->blocks, c->nblocks, sizeof(*c->blocks), block_cmp);
    for (i = 0; i < c->nblocks && !c->aborted; i++)
    {
        struct chk_block *b = &c->blocks[i];
        uint64_t total = ((uint64_t)b->cb + file->block_trailer + 63) & ~(uint64_t)63;
        uint8_t *buf;
        const uint8_t *t;
        uint64_t tbid;
        uint32_t crc;
        int ret;

        if (i && b->bid == c->blocks[i - 1].bid)
            report(c, PST_CHK_BTREE, b->ib, 0, b->bid, "BID %#llx appears twice in the BBT", (unsigned long long)b->bid);
        if (b->bid >= file->info.next_bid)
            report(c, PST_CHK_HEADER, b->ib, 0, b->bid, "BID %#llx is not below bidNextB %#llx",
                   (unsigned long long)b->bid, (unsigned long long)file->info.next_bid);
        if (b->cb > file->max_block_data || b->ib % 64 || b->ib < PST_PAGE_SIZE || b->ib > file->size
                || file->size - b->ib < total)
        {
            report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "block of %u bytes at %#llx is outside the file or misaligned",
                   b->cb, (unsigned long long)b->ib);
            continue;
        }
        if (mark_slots(c, b->ib, total))
            report(c, PST_CHK_AMAP, b->ib, 0, b->bid, "block overlaps other data");
        if (!(buf = pst_alloc(file, (size_t)total)))
        {
            abort_check(c, PST_E_NOMEM);
            return;
        }
        if ((ret = file->io->read(file->io, b->ib, buf, (size_t)total)))
        {
            pst_free(file, buf);
            abort_check(c, ret);
            return;
        }
        t = buf + total - file->block_trailer;
        if (file->unicode)
        {
            crc = pst_rd32(t + 4);
            tbid = pst_rd64(t + 8);
        }
        else
        {
            tbid = pst_rd32(t + 4);
            crc = pst_rd32(t + 8);
        }
        b->valid = 1;
        if (pst_rd16(t) != b->cb)
        {
            report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "block trailer cb %u differs from the BBT's %u", pst_rd16(t), b->cb);
            b->valid = 0;
        }
        if ((tbid & ~(uint64_t)1) != b->bid)
        {
            report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "block trailer BID %#llx differs", (unsigned long long)tbid);
            b->valid = 0;
        }
        if (pst_rd16(t + 2) != pst_compute_sig(b->ib, b->bid))
        {
            report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "block signature mismatch");
            b->valid = 0;
        }
        if (pst_crc32(0, buf, b->cb) != crc)
        {
            report(c, PST_CHK_BLOCK_CRC, b->ib, 0, b->bid, "block CRC mismatch");
            b->valid = 0;
        }
        pst_free(file, buf);
    }
}

/* Counts the references internal blocks make, once per internal block. */
static void count_internal_refs(struct checker *c)
{
    struct pst_file *file = c->file;
    uint32_t i, k;

    for (i = 0; i < c->nblocks && !c->aborted; i++)
    {
        struct chk_block *b = &c->blocks[i];
        struct pst_bbt_entry e;
        unsigned int count, hdr, ent, child_off;
        uint8_t *data;
        size_t size;

        if (!(b->bid & 2) || !b->valid) continue;
        e.bid = b->bid;
        e.ib = b->ib;
        e.cb = b->cb;
        e.cref = b->cref;
        if (pst_block_read_entry(file, &e, 0, &data, &size)) continue;
        if (size < 4 || (data[0] != 1 && data[0] != 2))
        {
            report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "internal block has btype %#x", size ? data[0] : 0);
            pst_free(file, data);
            continue;
        }
        count = pst_rd16(data + 2);
        if (data[0] == 1)
        {
            hdr = 8;
            ent = file->id_size;
            child_off = 0;
            if (data[1] != 1 && data[1] != 2)
                report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "XBLOCK has cLevel %u", data[1]);
        }
        else
        {
            hdr = file->unicode ? 8 : 4;
            ent = data[1] ? 2 * file->id_size : 3 * file->id_size;
            child_off = file->id_size;
            if (data[1] > 1) report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "SLBLOCK/SIBLOCK has cLevel %u", data[1]);
        }
        if (hdr + (size_t)count * ent > size)
        {
            report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "internal block has %u entries in %u bytes", count,
                   (unsigned int)size);
            pst_free(file, data);
            continue;
        }
        if (hdr + (size_t)count * ent != size)
            report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "internal block has %u bytes for %u entries",
                   (unsigned int)size, count);
        for (k = 0; k < count; k++)
        {
            const uint8_t *p = data + hdr + k * ent;
            uint64_t refs[2];
            unsigned int r, nrefs = 1;

            refs[0] = pst_rdid(file, p + child_off);
            if (data[0] == 2 && !data[1])
            {
                refs[1] = pst_rdid(file, p + 2 * file->id_size);
                nrefs = 2;
                if (k && pst_rd32(p) <= pst_rd32(p - ent))
                    report(c, PST_CHK_BLOCK, b->ib, 0, b->bid, "subnode keys out of order at entry %u", k);
            }
            for (r = 0; r < nrefs; r++)
            {
                struct chk_block *child;

                if (!refs[r]) continue;
                if (!(child = find_block(c, refs[r])))
                    report(c, PST_CHK_MISSING, b->ib, 0, b->bid, "internal block names BID %#llx, which is not in the BBT",
                           (unsigned long long)refs[r]);
                else child->refs++;
            }
        }
        pst_free(file, data);
    }
}

static int node_cmp(const void *a, const void *b)
{
    const struct pst_nbt_entry *x = a, *y = b;

    return x->nid < y->nid ? -1 : x->nid > y->nid;
}

static const struct pst_nbt_entry *find_node(struct checker *c, uint32_t nid)
{
    uint32_t lo = 0, hi = c->nnodes;

    while (lo < hi)
    {
        uint32_t mid = (lo + hi) / 2;

        if (c->nodes[mid].nid < nid) lo = mid + 1;
        else hi = mid;
    }
    return lo < c->nnodes && c->nodes[lo].nid == nid ? &c->nodes[lo] : NULL;
}

static void check_references(struct checker *c)
{
    uint32_t i;

    if (c->nnodes) qsort(c->nodes, c->nnodes, sizeof(*c->nodes), node_cmp);
    for (i = 0; i < c->nnodes; i++)
    {
        const struct pst_nbt_entry *n = &c->nodes[i];
        struct chk_block *b;

        if (i && n->nid == c->nodes[i - 1].nid)
            report(c, PST_CHK_BTREE, ~(uint64_t)0, n->nid, 0, "NID %#x appears twice in the NBT", n->nid);
        if (n->bid_data)
        {
            if (!(b = find_block(c, n->bid_data)))
                report(c, PST_CHK_MISSING, ~(uint64_t)0, n->nid, n->bid_data, "data BID %#llx is not in the BBT",
                       (unsigned long long)n->bid_data);
            else b->refs++;
        }
        if (n->bid_sub)
        {
            if (!(b = find_block(c, n->bid_sub)))
                report(c, PST_CHK_MISSING, ~(uint64_t)0, n->nid, n->bid_sub, "subnode BID %#llx is not in the BBT",
                       (unsigned long long)n->bid_sub);
            else
            {
                b->refs++;
                if (!(n->bid_sub & 2))
                    report(c, PST_CHK_BLOCK, ~(uint64_t)0, n->nid, n->bid_sub, "subnode BID is not an internal block");
            }
        }
        if (n->nid_parent && !find_node(c, n->nid_parent))
            report(c, PST_CHK_MISSING, ~(uint64_t)0, n->nid, 0, "parent NID %#x does not exist", n->nid_parent);
    }
    count_internal_refs(c);
    for (i = 0; i < c->nblocks; i++)
    {
        struct chk_block *b = &c->blocks[i];

        /* An unreferenced block with cRef 1 is leaked space (see the
         * allowed exceptions above); any other cRef on it is damage. */
        if (!b->refs && b->cref == 1)
            report(c, PST_CHK_AMAP_LEAK, b->ib, 0, b->bid, "block is referenced by nothing (cRef 1)");
        else if (!b->refs)
            report(c, PST_CHK_REFCOUNT, b->ib, 0, b->bid, "block is referenced by nothing (cRef %u)", b->cref);
        else if (b->cref != b->refs + 1)
            report(c, PST_CHK_REFCOUNT, b->ib, 0, b->bid, "cRef %u but %u references (expected references + 1)",
                   b->cref, b->refs);
    }
}

/* -------------------------------------------------------------- space -- */

static void check_space(struct checker *c)
{
    struct pst_file *file = c->file;
    uint64_t ib, free_bytes = 0, expect_last, limit = file->info.file_eof < file->size ? file->info.file_eof : file->size;
    unsigned int idx = 0;
    uint8_t page[PST_PAGE_SIZE];
    int ret;

    if (file->info.amap_valid != 2)
        report(c, PST_CHK_AMAP, file->unicode ? 248 : 200, 0, 0, "fAMapValid is %u, not VALID_AMAP2",
               file->info.amap_valid);
    /* The density list is optional (older Outlook writes a zero page). */
    if (!pst_page_read_raw(file, PST_DLIST_OFFSET, page))
    {
        struct pst_page_trailer t;
        unsigned int k;
        int zero = 1;

        for (k = 0; k < PST_PAGE_SIZE && zero; k++) zero = !page[k];
        pst_parse_page_trailer(file, page, &t);
        if (!zero && (t.ptype != PST_PTYPE_DLIST || t.ptype_repeat != PST_PTYPE_DLIST))
            report(c, PST_CHK_PAGE, PST_DLIST_OFFSET, 0, 0, "density list page has type %#x", t.ptype);
        else if (!zero && pst_crc32(0, page, file->page_data) != t.crc)
            report(c, PST_CHK_PAGE_CRC, PST_DLIST_OFFSET, 0, 0, "density list CRC mismatch");
    }
    if (limit > PST_FIRST_AMAP)
    {
        expect_last = PST_FIRST_AMAP + (limit - PST_FIRST_AMAP - 1) / PST_AMAP_STRIDE * PST_AMAP_STRIDE;
        if (file->info.amap_last != expect_last)
            report(c, PST_CHK_AMAP, file->unicode ? 196 : 172, 0, 0, "ibAMapLast %#llx, expected %#llx",
                   (unsigned long long)file->info.amap_last, (unsigned long long)expect_last);
    }
    for (ib = PST_FIRST_AMAP; ib < limit && !c->aborted; ib += PST_AMAP_STRIDE, idx++)
    {
        struct pst_page_trailer t;
        const uint8_t *bits;
        uint64_t used_free = 0, leaked = 0, first_bad = 0, slot0 = ib / 64, k, nbits = 496 * 8;

        if ((ret = pst_page_read_raw(file, ib, page)))
        {
            if (ret == PST_E_CORRUPT) report(c, PST_CHK_AMAP, ib, 0, 0, "AMap page is outside the file");
            else abort_check(c, ret);
            break;
        }
        pst_parse_page_trailer(file, page, &t);
        if (t.ptype != PST_PTYPE_AMAP || t.ptype_repeat != PST_PTYPE_AMAP)
        {
            report(c, PST_CHK_AMAP, ib, 0, 0, "AMap page has type %#x/%#x", t.ptype, t.ptype_repeat);
            continue;
        }
        if (pst_crc32(0, page, file->page_data) != t.crc)
            report(c, PST_CHK_PAGE_CRC, ib, 0, 0, "AMap page CRC mismatch");
        if (t.bid != ib)
            report(c, PST_CHK_AMAP, ib, 0, 0, "AMap page trailer BID %#llx is not its offset", (unsigned long long)t.bid);
        /* Map pages are ours: the AMap itself and, on every 8th, the PMap. */
        mark_slots(c, ib, PST_PAGE_SIZE);
        if (idx % 8 == 0)
        {
            uint8_t pm[PST_PAGE_SIZE];

            mark_slots(c, ib + PST_PAGE_SIZE, PST_PAGE_SIZE);
            if (!pst_page_read_raw(file, ib + PST_PAGE_SIZE, pm))
            {
                struct pst_page_trailer pt;

                pst_parse_page_trailer(file, pm, &pt);
                if (pt.ptype != PST_PTYPE_PMAP || pst_crc32(0, pm, file->page_data) != pt.crc)
                    report(c, PST_CHK_PAGE, ib + PST_PAGE_SIZE, 0, 0, "PMap page is damaged (type %#x)", pt.ptype);
            }
        }
        bits = page + (file->unicode ? 0 : 4);
        for (k = 0; k < nbits; k++)
        {
            uint64_t slot = slot0 + k;
            int alloc = (bits[k / 8] >> (7 - k % 8)) & 1;
            int used;

            if (slot * 64 >= limit) break;
            used = slot < c->nslots && c->slots[slot];
            if (!alloc) free_bytes += 64;
            if (used && !alloc)
            {
                if (!used_free++) first_bad = slot * 64;
            }
            else if (alloc && !used) leaked++;
        }
        if (used_free)
            report(c, PST_CHK_AMAP, first_bad, 0, 0, "AMap at %#llx marks %llu used 64-byte slots free (first at %#llx)",
                   (unsigned long long)ib, (unsigned long long)used_free, (unsigned long long)first_bad);
        if (leaked)
            report(c, PST_CHK_AMAP_LEAK, ib, 0, 0, "AMap at %#llx marks %llu unreferenced 64-byte slots allocated",
                   (unsigned long long)ib, (unsigned long long)leaked);
    }
    if (!c->aborted && free_bytes != file->info.amap_free)
        report(c, PST_CHK_AMAP, file->unicode ? 200 : 176, 0, 0, "cbAMapFree %#llx but the AMaps have %#llx free bytes",
               (unsigned long long)file->info.amap_free, (unsigned long long)free_bytes);
    if (c->max_page_bid >= file->info.next_pid)
        report(c, PST_CHK_HEADER, file->unicode ? 32 : 28, 0, 0, "page BID %#llx is not below bidNextP %#llx",
               (unsigned long long)c->max_page_bid, (unsigned long long)file->info.next_pid);
}

/* ---------------------------------------------------------------- LTP -- */

static void ltp_error(struct checker *c, uint32_t nid, int ret, const char *what)
{
    if (ret == PST_E_NOMEM || ret == PST_E_IO) abort_check(c, ret);
    else report(c, PST_CHK_LTP, ~(uint64_t)0, nid, 0, "%s: %s", what, c->file->error);
}

static void check_object_values(struct checker *c, struct pst_object *obj)
{
    uint32_t i;

    for (i = 0; i < obj->count; i++)
    {
        struct pst_value v;
        uint32_t n;
        int ret = pst_prop_get_at(obj, i, &v);

        if (ret == PST_E_TOO_BIG) continue;
        if (ret)
        {
            ltp_error(c, obj->nid, ret, "property value");
            continue;
        }
        if ((v.type & PST_MV_FLAG) && pst_type_fixed_size(v.type & ~PST_MV_FLAG) != ~0u)
        {
            if (pst_value_mv_count(&v, &n))
                report(c, PST_CHK_LTP, ~(uint64_t)0, obj->nid, 0, "multi-valued property %#x is malformed", v.tag);
            else
            {
                uint32_t k;
                struct pst_value e;

                for (k = 0; k < n; k++)
                    if (pst_value_mv_get(&v, k, &e))
                    {
                        report(c, PST_CHK_LTP, ~(uint64_t)0, obj->nid, 0,
                               "multi-valued property %#x element %u is malformed", v.tag, k);
                        break;
                    }
            }
        }
    }
}

static void check_table_cells(struct checker *c, struct pst_table *t, uint32_t nid)
{
    uint32_t r, k, rows = pst_table_row_count(t), cols = pst_table_column_count(t);

    for (r = 0; r < rows && !c->aborted; r++)
    {
        for (k = 0; k < cols; k++)
        {
            struct pst_column col;
            struct pst_value v;
            int ret;

            pst_table_column(t, k, &col);
            ret = pst_table_get_cell(t, r, col.tag, &v);
            if (ret && ret != PST_E_NOT_FOUND && ret != PST_E_TOO_BIG)
            {
                ltp_error(c, nid, ret, "table cell");
                return;
            }
        }
    }
}

static void check_message(struct checker *c, struct pst_object *msg, unsigned int depth);

static void check_attachments(struct checker *c, struct pst_object *msg, unsigned int depth)
{
    struct pst_table *t;
    uint32_t r, n;
    int ret;

    if ((ret = pst_message_open_table(msg, PST_NID_RECIPIENT_TABLE, &t)))
    {
        if (ret != PST_E_NOT_FOUND) ltp_error(c, msg->nid, ret, "recipient table");
    }
    else
    {
        check_table_cells(c, t, msg->nid);
        pst_table_close(t);
    }
    if ((ret = pst_message_open_table(msg, PST_NID_ATTACHMENT_TABLE, &t)))
    {
        if (ret != PST_E_NOT_FOUND) ltp_error(c, msg->nid, ret, "attachment table");
        return;
    }
    check_table_cells(c, t, msg->nid);
    n = pst_table_row_count(t);
    for (r = 0; r < n && !c->aborted; r++)
    {
        struct pst_object *att, *sub;
        struct pst_value v;
        uint32_t id;

        if ((ret = pst_table_row_id(t, r, &id)))
        {
            ltp_error(c, msg->nid, ret, "attachment table row");
            continue;
        }
        if ((ret = pst_message_open_attachment(msg, id, &att)))
        {
            ltp_error(c, msg->nid, ret, "attachment");
            continue;
        }
        check_object_values(c, att);
        if (!pst_prop_get(att, PST_PR_ATTACH_METHOD, &v) && v.u.l == 5 && depth < 16)
        {
            if ((ret = pst_attachment_open_message(att, &sub))) ltp_error(c, msg->nid, ret, "embedded message");
            else
            {
                check_message(c, sub, depth + 1);
                pst_object_close(sub);
            }
        }
        pst_object_close(att);
    }
    pst_table_close(t);
}

static void check_message(struct checker *c, struct pst_object *msg, unsigned int depth)
{
    check_object_values(c, msg);
    check_attachments(c, msg, depth);
}

static int nid_has_heap(uint32_t nid)
{
    if (nid == PST_NID_MESSAGE_STORE || nid == PST_NID_NAME_TO_ID_MAP) return 1;
    switch (PST_NID_TYPE(nid))
    {
    case PST_NID_TYPE_NORMAL_FOLDER: case PST_NID_TYPE_SEARCH_FOLDER: case PST_NID_TYPE_NORMAL_MESSAGE:
    case PST_NID_TYPE_ASSOC_MESSAGE: case PST_NID_TYPE_HIERARCHY_TABLE: case PST_NID_TYPE_CONTENTS_TABLE:
    case PST_NID_TYPE_ASSOC_CONTENTS_TABLE: case PST_NID_TYPE_SEARCH_CONTENTS_TABLE:
    case PST_NID_TYPE_ATTACHMENT_TABLE: case PST_NID_TYPE_RECIPIENT_TABLE:
    case PST_NID_TYPE_RECEIVE_FOLDER_TABLE: case PST_NID_TYPE_OUTGOING_QUEUE_TABLE:
        return 1;
    }
    return 0;
}

static void check_ltp(struct checker *c)
{
    struct pst_file *file = c->file;
    uint32_t i;

    for (i = 0; i < c->nnodes && !c->aborted; i++)
    {
        const struct pst_nbt_entry *n = &c->nodes[i];
        struct pst_hn hn;
        int ret;

        if (!n->bid_data)
        {
            if (nid_has_heap(n->nid))
                report(c, PST_CHK_LTP, ~(uint64_t)0, n->nid, 0, "node has no data but its type needs a heap");
            continue;
        }
        if ((ret = pst_hn_load(file, n->bid_data, n->nid, &hn)))
        {
            /* Nodes of other types may hold raw data, not a heap. */
            if (nid_has_heap(n->nid)) ltp_error(c, n->nid, ret, "heap");
            continue;
        }
        if (hn.client_sig == 0xbc)
        {
            struct pst_object *obj;

            if ((ret = pst_object_load(file, n->nid, n->bid_data, n->bid_sub, 0, &obj)))
                ltp_error(c, n->nid, ret, "property context");
            else
            {
                if (obj->kind == PST_OBJ_MESSAGE) check_message(c, obj, 0);
                else check_object_values(c, obj);
                pst_object_close(obj);
            }
        }
        else if (hn.client_sig == 0x7c)
        {
            struct pst_table *t;

            if ((ret = pst_table_load(file, n->nid, n->bid_data, n->bid_sub, &t)))
                ltp_error(c, n->nid, ret, "table context");
            else
            {
                check_table_cells(c, t, n->nid);
                pst_table_close(t);
            }
        }
        else if (hn.client_sig == 0xb5)
        {
            struct pst_bth bth;
            uint8_t *records;
            uint32_t count;

            if ((ret = pst_bth_open(&hn, hn.hid_user_root, &bth)) || (ret = pst_bth_collect(&bth, &records, &count)))
                ltp_error(c, n->nid, ret, "B-tree-on-heap");
            else pst_free(file, records);
        }
        pst_hn_free(&hn);
    }
}

/* ---------------------------------------------------------- messaging -- */

struct id_list
{
    uint32_t *ids;
    uint32_t count, cap;
};

static int id_add(struct pst_file *file, struct id_list *l, uint32_t id)
{
    if (l->count == l->cap)
    {
        uint32_t cap = l->cap ? l->cap * 2 : 16, *ids = pst_realloc(file, l->ids, cap * sizeof(*ids));

        if (!ids) return PST_E_NOMEM;
        l->ids = ids;
        l->cap = cap;
    }
    l->ids[l->count++] = id;
    return PST_OK;
}

/* The lists are filled in NID order (check_folder walks the nodes sorted),
 * so a lookup is a binary search, not a scan per table row. */
static int id_has(const struct id_list *l, uint32_t id)
{
    uint32_t lo = 0, hi = l->count;

    while (lo < hi)
    {
        uint32_t mid = (lo + hi) / 2;

        if (l->ids[mid] < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < l->count && l->ids[lo] == id;
}

static int get_long(struct pst_object *obj, uint32_t tag, int32_t *v)
{
    struct pst_value val;

    if (pst_prop_get(obj, tag, &val)) return 0;
    *v = PST_PROP_TYPE(tag) == PST_PT_BOOLEAN ? val.u.boolean : val.u.l;
    return 1;
}

static int cell_long(struct pst_table *t, uint32_t row, uint32_t tag, int32_t *v)
{
    struct pst_value val;

    if (pst_table_get_cell(t, row, tag, &val)) return 0;
    *v = PST_PROP_TYPE(tag) == PST_PT_BOOLEAN ? val.u.boolean : val.u.l;
    return 1;
}

/* Compares a table row with the object it stands for, column by column. */
static void compare_row(struct checker *c, struct pst_table *t, uint32_t row, struct pst_object *obj,
                        uint32_t table_nid)
{
    uint32_t k, cols = pst_table_column_count(t);

    for (k = 0; k < cols; k++)
    {
        struct pst_column col;
        struct pst_value cv, ov;
        int cr, orr;

        pst_table_column(t, k, &col);
        if (col.tag == PST_PR_LTP_ROW_ID || col.tag == PST_PR_LTP_ROW_VER) continue;
        /* Columns whose values the table computes rather than copies:
         * hierarchy-only state (0x3613 container class, 0x6635/0x6636), the
         * replication columns (0x0e30, 0x0e33, 0x0e34, 0x0e38, 0x0e3c, 0x0e3d,
         * 0x65c6), the search-folder row 0x67f1, and PR_MSG_STATUS (0x0e17),
         * which MAPI keeps per contents-table row, not on the message. */
        if (PST_PROP_ID(col.tag) == 0x3613 || PST_PROP_ID(col.tag) == 0x6635 || PST_PROP_ID(col.tag) == 0x6636
                || PST_PROP_ID(col.tag) == 0x0e33 || PST_PROP_ID(col.tag) == 0x0e34 || PST_PROP_ID(col.tag) == 0x0e38
                || PST_PROP_ID(col.tag) == 0x0e30 || PST_PROP_ID(col.tag) == 0x0e3c || PST_PROP_ID(col.tag) == 0x0e3d
                || PST_PROP_ID(col.tag) == 0x65c6 || PST_PROP_ID(col.tag) == 0x67f1
                || PST_PROP_ID(col.tag) == 0x0e17)
            continue;
        cr = pst_table_get_cell(t, row, col.tag, &cv);
        orr = pst_prop_get(obj, col.tag, &ov);
        if (cr == PST_E_TOO_BIG || orr == PST_E_TOO_BIG) continue;
        if (cr && cr != PST_E_NOT_FOUND) continue;   /* reported by the LTP pass */
        if (orr && orr != PST_E_NOT_FOUND) continue;
        if (cr && orr) continue;
        if (cr)
        {
            report(c, PST_CHK_MESSAGING, ~(uint64_t)0, table_nid, 0,
                   "row %#x lacks column %#x that the object has", obj->nid, col.tag);
            continue;
        }
        if (orr)
        {
            report(c, PST_CHK_MESSAGING, ~(uint64_t)0, table_nid, 0,
                   "row %#x has column %#x that the object lacks", obj->nid, col.tag);
            continue;
        }
        if (cv.size != ov.size || (cv.bytes && ov.bytes && cv.size && memcmp(cv.bytes, ov.bytes, cv.size))
                || (!cv.bytes && memcmp(&cv.u, &ov.u, sizeof(cv.u))))
            report(c, PST_CHK_MESSAGING, ~(uint64_t)0, table_nid, 0,
                   "row %#x column %#x differs from the object's property", obj->nid, col.tag);
    }
}

static void check_table_rows(struct checker *c, uint32_t table_nid, const struct id_list *expect,
                             const char *what, int compare)
{
    struct pst_file *file = c->file;
    struct pst_table *t;
    uint32_t r, n, k;
    int ret;

    if ((ret = pst_table_open(file, table_nid, &t)))
    {
        if (ret == PST_E_NOT_FOUND)
            report(c, PST_CHK_MISSING, ~(uint64_t)0, table_nid, 0, "%s table is missing", what);
        else if (ret == PST_E_NOMEM || ret == PST_E_IO) abort_check(c, ret);
        return;   /* decoding errors come from the LTP pass */
    }
    n = pst_table_row_count(t);
    for (r = 0; r < n && !c->aborted; r++)
    {
        uint32_t id;
        struct pst_object *obj;

        if (pst_table_row_id(t, r, &id)) continue;
        if (!id_has(expect, id))
        {
            report(c, PST_CHK_MESSAGING, ~(uint64_t)0, table_nid, 0,
                   "%s table has a row for %#x, which is not a child node", what, id);
            continue;
        }
        if (!compare) continue;
        if (!pst_object_open(file, id, &obj))
        {
            compare_row(c, t, r, obj, table_nid);
            pst_object_close(obj);
        }
    }
    for (k = 0; k < expect->count; k++)
    {
        uint32_t row;

        if (pst_table_find_row(t, expect->ids[k], &row))
            report(c, PST_CHK_MESSAGING, ~(uint64_t)0, table_nid, 0, "%s table has no row for child %#x", what,
                   expect->ids[k]);
    }
    pst_table_close(t);
}

static void check_folder(struct checker *c, uint32_t nid)
{
    struct pst_file *file = c->file;
    struct id_list folders = {0}, msgs = {0}, fai = {0};
    struct pst_object *pc;
    uint32_t i, unread = 0;
    int32_t v;
    int ret;

    /* the children's range of the parent index: one scan of the node list
     * per folder would make a file of many folders quadratic */
    {
        uint32_t lo = 0, hi = c->nnodes;

        while (lo < hi)
        {
            uint32_t mid = (lo + hi) / 2;

            if (c->by_parent[mid].nid_parent < nid) lo = mid + 1;
            else hi = mid;
        }
        i = lo;
    }
    for (; i < c->nnodes && c->by_parent[i].nid_parent == nid; i++)
    {
        const struct pst_nbt_entry *n = &c->by_parent[i];
        unsigned int type = PST_NID_TYPE(n->nid);

        if (n->nid == nid) continue;
        if (type == PST_NID_TYPE_NORMAL_FOLDER || type == PST_NID_TYPE_SEARCH_FOLDER) ret = id_add(file, &folders, n->nid);
        else if (type == PST_NID_TYPE_NORMAL_MESSAGE) ret = id_add(file, &msgs, n->nid);
        else if (type == PST_NID_TYPE_ASSOC_MESSAGE) ret = id_add(file, &fai, n->nid);
        else ret = PST_OK;
        if (ret) abort_check(c, ret);
    }
    if (c->aborted) goto done;
    if ((ret = pst_object_open(file, nid, &pc)))
    {
        if (ret == PST_E_NOMEM || ret == PST_E_IO) abort_check(c, ret);
        goto done;
    }
    for (i = 0; i < msgs.count; i++)
    {
        struct pst_object *m;

        if (!pst_object_open(file, msgs.ids[i], &m))
        {
            if (get_long(m, 0x0e070003, &v) && !(v & 1)) unread++;
            pst_object_close(m);
        }
    }
    if (get_long(pc, 0x360a000b, &v) && !!v != (folders.count > 0))
        report(c, PST_CHK_MESSAGING, ~(uint64_t)0, nid, 0, "PR_SUBFOLDERS is %d but the folder has %u subfolders",
               v, folders.count);
    /* Search folders have no hierarchy or contents TC of their own and their
     * counts describe search results, which live in other folders. */
    if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_FOLDER)
    {
        pst_object_close(pc);
        goto done;
    }
    if (get_long(pc, 0x36020003, &v) && (uint32_t)v != msgs.count)
        report(c, PST_CHK_MESSAGING, ~(uint64_t)0, nid, 0, "PR_CONTENT_COUNT is %d but the folder has %u messages",
               v, msgs.count);
    if (get_long(pc, 0x36030003, &v) && (uint32_t)v != unread)
        report(c, PST_CHK_MESSAGING, ~(uint64_t)0, nid, 0, "PR_CONTENT_UNREAD is %d but %u messages are unread",
               v, unread);
    if (get_long(pc, 0x36170003, &v) && (uint32_t)v != fai.count)
        report(c, PST_CHK_MESSAGING, ~(uint64_t)0, nid, 0, "PR_ASSOC_CONTENT_COUNT is %d but the folder has %u",
               v, fai.count);
    pst_object_close(pc);
    check_table_rows(c, PST_NID_MAKE(PST_NID_INDEX(nid), PST_NID_TYPE_HIERARCHY_TABLE), &folders, "hierarchy", 0);
    check_table_rows(c, PST_NID_MAKE(PST_NID_INDEX(nid), PST_NID_TYPE_CONTENTS_TABLE), &msgs, "contents", 1);
    check_table_rows(c, PST_NID_MAKE(PST_NID_INDEX(nid), PST_NID_TYPE_ASSOC_CONTENTS_TABLE), &fai, "FAI contents", 1);
    /* Counts the parent caches in its hierarchy row for each child. */
    if (folders.count)
    {
        struct pst_table *t;

        if (!pst_table_open(file, PST_NID_MAKE(PST_NID_INDEX(nid), PST_NID_TYPE_HIERARCHY_TABLE), &t))
        {
            for (i = 0; i < folders.count; i++)
            {
                static const uint32_t tags[] = {0x36020003, 0x36030003, 0x360a000b};
                struct pst_object *child;
                uint32_t row, k;
                int32_t a, b;

                if (pst_table_find_row(t, folders.ids[i], &row)) continue;
                if (pst_object_open(file, folders.ids[i], &child)) continue;
                for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++)
                {
                    int ha = cell_long(t, row, tags[k], &a), hb = get_long(child, tags[k], &b);

                    if (ha != hb || (ha && a != b))
                        report(c, PST_CHK_MESSAGING, ~(uint64_t)0, folders.ids[i], 0,
                               "hierarchy row of %#x caches %#x as %d, the folder has %d", folders.ids[i],
                               tags[k], ha ? a : -1, hb ? b : -1);
                }
                compare_row(c, t, row, child, PST_NID_MAKE(PST_NID_INDEX(nid), PST_NID_TYPE_HIERARCHY_TABLE));
                pst_object_close(child);
            }
            pst_table_close(t);
        }
    }
done:
    pst_free(file, folders.ids);
    pst_free(file, msgs.ids);
    pst_free(file, fai.ids);
}

static int parent_cmp(const void *a, const void *b)
{
    const struct pst_nbt_entry *x = a, *y = b;

    if (x->nid_parent != y->nid_parent) return x->nid_parent < y->nid_parent ? -1 : 1;
    return x->nid < y->nid ? -1 : x->nid > y->nid;
}

static void check_messaging(struct checker *c)
{
    uint32_t i;

    if (!(c->by_parent = pst_alloc(c->file, (c->nnodes ? c->nnodes : 1) * sizeof(*c->by_parent))))
    {
        abort_check(c, PST_E_NOMEM);
        return;
    }
    if (c->nnodes)
    {
        memcpy(c->by_parent, c->nodes, c->nnodes * sizeof(*c->by_parent));
        qsort(c->by_parent, c->nnodes, sizeof(*c->by_parent), parent_cmp);
    }

    if (!find_node(c, PST_NID_MESSAGE_STORE))
        report(c, PST_CHK_MISSING, ~(uint64_t)0, PST_NID_MESSAGE_STORE, 0, "message store node is missing");
    if (!find_node(c, PST_NID_ROOT_FOLDER))
        report(c, PST_CHK_MISSING, ~(uint64_t)0, PST_NID_ROOT_FOLDER, 0, "root folder node is missing");
    for (i = 0; i < c->nnodes && !c->aborted; i++)
    {
        unsigned int type = PST_NID_TYPE(c->nodes[i].nid);

        if (type == PST_NID_TYPE_NORMAL_FOLDER || type == PST_NID_TYPE_SEARCH_FOLDER)
            check_folder(c, c->nodes[i].nid);
    }
}

/* ------------------------------------------------------------- driver -- */

int pst_check(struct pst_file *file, void (*cb)(void *ctx, const struct pst_finding *finding), void *ctx,
              unsigned int *count)
{
    struct checker c;

    TRACE("%p %p %p\n", file, cb, ctx);
    if (count) *count = 0;
    if (!file) return PST_E_INVALID_ARG;
    memset(&c, 0, sizeof(c));
    c.file = file;
    c.cb = cb;
    c.ctx = ctx;
    c.nslots = (file->size + 63) / 64;
    if (!(c.slots = pst_zalloc(file, (size_t)c.nslots))
            || !(c.pages_seen = pst_zalloc(file, (size_t)(file->size / PST_PAGE_SIZE / 8 + 1))))
    {
        abort_check(&c, PST_E_NOMEM);
        goto done;
    }
    /* The header and density list areas are not covered by the AMaps. */
    check_header(&c);
    walk_btree(&c, PST_PTYPE_NBT, file->nbt_ib, file->nbt_bid, -1, 0, 0, ~(uint64_t)0, 0);
    walk_btree(&c, PST_PTYPE_BBT, file->bbt_ib, file->bbt_bid, -1, 0, 0, ~(uint64_t)0, 0);
    if (!c.aborted) check_blocks(&c);
    if (!c.aborted) check_references(&c);
    if (!c.aborted) check_space(&c);
    if (!c.aborted) check_ltp(&c);
    if (!c.aborted) check_messaging(&c);
done:
    pst_free(file, c.slots);
    pst_free(file, c.pages_seen);
    pst_free(file, c.blocks);
    pst_free(file, c.nodes);
    pst_free(file, c.by_parent);
    if (count) *count = c.count;
    return c.aborted ? c.aborted : PST_OK;
}
