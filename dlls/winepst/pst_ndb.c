/*
 * PST engine: node database (header, pages, B-trees, blocks, subnodes)
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * HEADER OFFSETS ([MS-PST] 2.2.2.6)
 *
 *   field           Unicode   ANSI
 *   dwMagic         0         0      "!BDN"
 *   dwCRCPartial    4         4      CRC of 471 bytes from 8
 *   wMagicClient    8         8      "SM"
 *   wVer            10        10     23 / 14, 15
 *   wVerClient      12        12
 *   bidNextB        516       24
 *   bidNextP        32        28
 *   dwUnique        40        32
 *   rgnid[32]       44        36
 *   ROOT            180       164    see below
 *   bSentinel       512       460    0x80
 *   bCryptMethod    513       461
 *   dwCRCFull       524       -      CRC of 516 bytes from 8
 *
 *   ROOT: dwReserved(4) ibFileEof ibAMapLast cbAMapFree cbPMapFree
 *         BREFNBT BREFBBT fAMapValid(1) ...; ids are 8 bytes (U) or 4 (A).
 */

#include <stdlib.h>

#include "pst_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(pst);

/* ------------------------------------------------------------- parsing -- */

void pst_parse_nbt_entry(const struct pst_file *file, const uint8_t *p, struct pst_nbt_entry *e)
{
    unsigned int n = file->id_size;

    e->nid = pst_rd32(p);
    e->bid_data = pst_rdid(file, p + n);
    e->bid_sub = pst_rdid(file, p + 2 * n);
    e->nid_parent = pst_rd32(p + 3 * n);
}

void pst_parse_bbt_entry(const struct pst_file *file, const uint8_t *p, struct pst_bbt_entry *e)
{
    unsigned int n = file->id_size;

    e->bid = pst_rdid(file, p);
    e->ib = pst_rdid(file, p + n);
    e->cb = pst_rd16(p + 2 * n);
    e->cref = pst_rd16(p + 2 * n + 2);
}

void pst_parse_bt_entry(const struct pst_file *file, const uint8_t *p, uint64_t *key, uint64_t *bid,
                        uint64_t *ib)
{
    unsigned int n = file->id_size;

    *key = pst_rdid(file, p);
    *bid = pst_rdid(file, p + n);
    *ib = pst_rdid(file, p + 2 * n);
}

void pst_parse_page_trailer(const struct pst_file *file, const uint8_t *page, struct pst_page_trailer *t)
{
    const uint8_t *p = page + file->page_data;

    t->ptype = p[0];
    t->ptype_repeat = p[1];
    t->sig = pst_rd16(p + 2);
    if (file->unicode)
    {
        t->crc = pst_rd32(p + 4);
        t->bid = pst_rd64(p + 8);
    }
    else
    {
        t->bid = pst_rd32(p + 4);
        t->crc = pst_rd32(p + 8);
    }
}

/* --------------------------------------------------------------- pages -- */

int pst_page_read_raw(struct pst_file *file, uint64_t ib, uint8_t *page)
{
    int ret;

    if (ib % PST_PAGE_SIZE || ib < PST_PAGE_SIZE || ib > file->size || file->size - ib < PST_PAGE_SIZE)
        return pst_error(file, PST_E_CORRUPT, "page offset %#llx is outside the file (size %#llx)",
                         (unsigned long long)ib, (unsigned long long)file->size);
    if ((ret = file->io->read(file->io, ib, page, PST_PAGE_SIZE)))
        return pst_error(file, ret, "cannot read page at offset %#llx", (unsigned long long)ib);
    return PST_OK;
}

static int page_check_trailer(struct pst_file *file, uint64_t ib, uint64_t bid, uint8_t ptype,
                              const uint8_t *page)
{
    struct pst_page_trailer t;

    pst_parse_page_trailer(file, page, &t);
    if (t.ptype != ptype || t.ptype_repeat != ptype)
        return pst_error(file, PST_E_CORRUPT, "page at offset %#llx has type %#x/%#x, expected %#x",
                         (unsigned long long)ib, t.ptype, t.ptype_repeat, ptype);
    if ((t.bid & ~(uint64_t)1) != (bid & ~(uint64_t)1))
        return pst_error(file, PST_E_CORRUPT, "page at offset %#llx has BID %#llx, expected %#llx",
                         (unsigned long long)ib, (unsigned long long)t.bid, (unsigned long long)bid);
    if ((ptype == PST_PTYPE_NBT || ptype == PST_PTYPE_BBT) && t.sig != pst_compute_sig(ib, t.bid))
        return pst_error(file, PST_E_CORRUPT, "page at offset %#llx has a bad signature",
                         (unsigned long long)ib);
    return PST_OK;
}

int pst_page_read(struct pst_file *file, uint64_t ib, uint64_t bid, uint8_t ptype, uint8_t *page)
{
    struct pst_page_cache_entry *c = &file->cache[(ib / PST_PAGE_SIZE) % PST_PAGE_CACHE];
    struct pst_page_trailer t;
    int ret;

    if (c->ib == ib)
    {
        memcpy(page, c->data, PST_PAGE_SIZE);
        return page_check_trailer(file, ib, bid, ptype, page);
    }
    if ((ret = pst_page_read_raw(file, ib, page))) return ret;
    pst_parse_page_trailer(file, page, &t);
    if (pst_crc32(0, page, file->page_data) != t.crc)
        return pst_error(file, PST_E_CORRUPT, "page at offset %#llx (BID %#llx) fails its CRC",
                         (unsigned long long)ib, (unsigned long long)bid);
    if ((ret = page_check_trailer(file, ib, bid, ptype, page))) return ret;
    c->ib = ib;
    memcpy(c->data, page, PST_PAGE_SIZE);
    return PST_OK;
}

/* ------------------------------------------------------------ B-trees -- */

struct bt_page
{
    uint8_t data[PST_PAGE_SIZE];
    unsigned int count, cb_ent, level;
};

static int bt_page_load(struct pst_file *file, uint64_t ib, uint64_t bid, uint8_t ptype,
                        int expect_level, struct bt_page *page)
{
    unsigned int leaf_size = ptype == PST_PTYPE_NBT ? file->nbt_entry : file->bbt_entry;
    const uint8_t *meta;
    int ret;

    if ((ret = pst_page_read(file, ib, bid, ptype, page->data))) return ret;
    meta = page->data + file->bt_entries;
    page->count = meta[0];
    page->cb_ent = meta[2];
    page->level = meta[3];
    if (expect_level >= 0 && page->level != (unsigned int)expect_level)
        return pst_error(file, PST_E_CORRUPT, "B-tree page at offset %#llx has level %u, expected %d",
                         (unsigned long long)ib, page->level, expect_level);
    if (page->level >= PST_MAX_DEPTH)
        return pst_error(file, PST_E_CORRUPT, "B-tree page at offset %#llx has level %u",
                         (unsigned long long)ib, page->level);
    if (page->cb_ent != (page->level ? file->bt_entry : leaf_size)
            || page->count * page->cb_ent > file->bt_entries)
        return pst_error(file, PST_E_CORRUPT, "B-tree page at offset %#llx has %u entries of %u bytes",
                         (unsigned long long)ib, page->count, page->cb_ent);
    return PST_OK;
}

/* Finds the leaf entry with the given key; copies it to out (32 bytes). */
static int bt_lookup(struct pst_file *file, uint8_t ptype, uint64_t key, uint8_t *out)
{
    uint64_t bid = ptype == PST_PTYPE_NBT ? file->nbt_bid : file->bbt_bid;
    uint64_t ib = ptype == PST_PTYPE_NBT ? file->nbt_ib : file->bbt_ib;
    /* on the stack: every entry point of the engine does a lookup or more */
    struct bt_page buffer, *page = &buffer;
    int level = -1, depth, ret = PST_OK;

    for (depth = 0; depth < PST_MAX_DEPTH; depth++)
    {
        unsigned int i, lo, hi;

        if ((ret = bt_page_load(file, ib, bid, ptype, level, page))) goto done;
        if (!page->level)
        {
            for (i = 0; i < page->count; i++)
            {
                const uint8_t *e = page->data + i * page->cb_ent;
                uint64_t k = ptype == PST_PTYPE_NBT ? pst_rd32(e) : pst_rdid(file, e);

                if (ptype == PST_PTYPE_BBT) k &= ~(uint64_t)1;
                if (k == key)
                {
                    memcpy(out, e, page->cb_ent);
                    goto done;
                }
            }
            ret = PST_E_NOT_FOUND;
            goto done;
        }
        /* Last entry whose key is <= key; keys are sorted (the checker
         * reports when they are not; here a bad order only misroutes). */
        lo = 0;
        hi = page->count;
        while (lo < hi)
        {
            unsigned int mid = (lo + hi) / 2;
            uint64_t k, b, o;

            pst_parse_bt_entry(file, page->data + mid * page->cb_ent, &k, &b, &o);
            if (ptype == PST_PTYPE_BBT) k &= ~(uint64_t)1;
            if (k <= key) lo = mid + 1;
            else hi = mid;
        }
        if (!lo)
        {
            ret = PST_E_NOT_FOUND;
            goto done;
        }
        {
            uint64_t child_key;

            pst_parse_bt_entry(file, page->data + (lo - 1) * page->cb_ent, &child_key, &bid, &ib);
        }
        level = (int)page->level - 1;
    }
    ret = pst_error(file, PST_E_CORRUPT, "B-tree deeper than %d levels", PST_MAX_DEPTH);
done:
    return ret;
}

int pst_nbt_lookup(struct pst_file *file, uint32_t nid, struct pst_nbt_entry *entry)
{
    uint8_t e[32];
    int ret;

    if (file->writer) return pst_writer_nbt_lookup(file, nid, entry);
    if ((ret = bt_lookup(file, PST_PTYPE_NBT, nid, e))) return ret;
    pst_parse_nbt_entry(file, e, entry);
    return PST_OK;
}

int pst_bbt_lookup(struct pst_file *file, uint64_t bid, struct pst_bbt_entry *entry)
{
    uint8_t e[32];
    int ret;

    bid &= ~(uint64_t)1;
    if (file->writer) return pst_writer_bbt_lookup(file, bid, entry);
    if ((ret = bt_lookup(file, PST_PTYPE_BBT, bid, e)))
    {
        if (ret == PST_E_NOT_FOUND)
            return pst_error(file, PST_E_CORRUPT, "BID %#llx is not in the block B-tree",
                             (unsigned long long)bid);
        return ret;
    }
    pst_parse_bbt_entry(file, e, entry);
    return PST_OK;
}

struct bt_walk
{
    struct pst_file *file;
    uint8_t ptype;
    uint64_t pages_left;
    int have_last;
    uint64_t last;
    int (*cb)(void *ctx, const uint8_t *entry);
    void *ctx;
};

static int bt_walk_page(struct bt_walk *w, uint64_t ib, uint64_t bid, int level)
{
    struct pst_file *file = w->file;
    struct bt_page *page;
    unsigned int i;
    int ret = PST_OK;

    if (!w->pages_left--)
        return pst_error(file, PST_E_CORRUPT, "B-tree has more pages than the file (cycle?) at offset %#llx",
                         (unsigned long long)ib);
    if (!(page = pst_alloc(file, sizeof(*page)))) return PST_E_NOMEM;
    if ((ret = bt_page_load(file, ib, bid, w->ptype, level, page))) goto done;
    for (i = 0; i < page->count && !ret; i++)
    {
        const uint8_t *e = page->data + i * page->cb_ent;

        if (page->level)
        {
            uint64_t key, cbid, cib;

            pst_parse_bt_entry(file, e, &key, &cbid, &cib);
            ret = bt_walk_page(w, cib, cbid, (int)page->level - 1);
        }
        else
        {
            uint64_t key = w->ptype == PST_PTYPE_NBT ? pst_rd32(e) : (pst_rdid(file, e) & ~(uint64_t)1);

            if (w->have_last && key <= w->last)
            {
                ret = pst_error(file, PST_E_CORRUPT, "B-tree keys out of order at page offset %#llx",
                                (unsigned long long)ib);
                break;
            }
            w->have_last = 1;
            w->last = key;
            ret = w->cb(w->ctx, e);
        }
    }
done:
    pst_free(file, page);
    return ret;
}

static int bt_foreach(struct pst_file *file, uint8_t ptype, int (*cb)(void *ctx, const uint8_t *entry),
                      void *ctx)
{
    struct bt_walk w;

    w.file = file;
    w.ptype = ptype;
    w.pages_left = file->size / PST_PAGE_SIZE + 1;
    w.have_last = 0;
    w.last = 0;
    w.cb = cb;
    w.ctx = ctx;
    if (ptype == PST_PTYPE_NBT) return bt_walk_page(&w, file->nbt_ib, file->nbt_bid, -1);
    return bt_walk_page(&w, file->bbt_ib, file->bbt_bid, -1);
}

struct nbt_foreach_ctx
{
    struct pst_file *file;
    int (*cb)(void *ctx, const struct pst_nbt_entry *e);
    void *ctx;
};

static int nbt_foreach_cb(void *ctx, const uint8_t *entry)
{
    struct nbt_foreach_ctx *c = ctx;
    struct pst_nbt_entry e;

    pst_parse_nbt_entry(c->file, entry, &e);
    return c->cb(c->ctx, &e);
}

int pst_nbt_foreach(struct pst_file *file, int (*cb)(void *ctx, const struct pst_nbt_entry *e), void *ctx)
{
    struct nbt_foreach_ctx c;

    if (file->writer) return pst_writer_nbt_foreach(file, cb, ctx);
    c.file = file;
    c.cb = cb;
    c.ctx = ctx;
    return bt_foreach(file, PST_PTYPE_NBT, nbt_foreach_cb, &c);
}

/* -------------------------------------------------------------- blocks -- */

/* Reads the block of entry into buf (at least PST_MAX_BLOCK bytes) and
 * verifies its trailer, signature and CRC before decoding it in place. */
static int block_fetch(struct pst_file *file, const struct pst_bbt_entry *entry, int decode, uint8_t *buf)
{
    uint64_t bid = entry->bid & ~(uint64_t)1, ib = entry->ib, tbid;
    size_t total = ((size_t)entry->cb + file->block_trailer + 63) & ~(size_t)63;
    const uint8_t *t;
    uint32_t crc;
    int ret;

    if (entry->cb > file->max_block_data)
        return pst_error(file, PST_E_CORRUPT, "block %#llx claims %u bytes", (unsigned long long)bid, entry->cb);
    if (ib % 64 || ib < PST_PAGE_SIZE || ib > file->size || file->size - ib < total)
        return pst_error(file, PST_E_CORRUPT, "block %#llx at offset %#llx is outside the file",
                         (unsigned long long)bid, (unsigned long long)ib);
    if ((ret = file->io->read(file->io, ib, buf, total)))
        return pst_error(file, ret, "cannot read block %#llx at offset %#llx", (unsigned long long)bid,
                         (unsigned long long)ib);
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
    if (pst_rd16(t) != entry->cb || (tbid & ~(uint64_t)1) != bid)
        return pst_error(file, PST_E_CORRUPT, "block %#llx at offset %#llx: trailer does not match the BBT",
                         (unsigned long long)bid, (unsigned long long)ib);
    if (pst_rd16(t + 2) != pst_compute_sig(ib, bid))
        return pst_error(file, PST_E_CORRUPT, "block %#llx at offset %#llx has a bad signature",
                         (unsigned long long)bid, (unsigned long long)ib);
    if (pst_crc32(0, buf, entry->cb) != crc)
        return pst_error(file, PST_E_CORRUPT, "block %#llx at offset %#llx fails its CRC",
                         (unsigned long long)bid, (unsigned long long)ib);
    if (decode && !(bid & 2))
    {
        if (file->info.crypt_method == PST_CRYPT_PERMUTE) pst_permute_decode(buf, entry->cb);
        else if (file->info.crypt_method == PST_CRYPT_CYCLIC) pst_cyclic(buf, entry->cb, (uint32_t)bid);
    }
    return PST_OK;
}

int pst_block_read_entry(struct pst_file *file, const struct pst_bbt_entry *entry, int decode,
                         uint8_t **data, size_t *size)
{
    uint8_t *buf;
    int ret;

    *data = NULL;
    *size = 0;
    if (!(buf = pst_alloc(file, PST_MAX_BLOCK))) return PST_E_NOMEM;
    if ((ret = block_fetch(file, entry, decode, buf)))
    {
        pst_free(file, buf);
        return ret;
    }
    *data = buf;
    *size = entry->cb;
    return PST_OK;
}

/* ------------------------------------------------------- block cache -- */

/* See struct pst_block_slot for why a cached block can be trusted. */

static void block_cache_flush(struct pst_file *file)
{
    unsigned int i;

    if (!file->blocks) return;
    for (i = 0; i < PST_BLOCK_CACHE; i++)
    {
        file->blocks[i].bid = 0;
        file->blocks[i].cacheable = 0;
        file->blocks[i].serial = 0;
    }
}

static void block_cache_free(struct pst_file *file)
{
    unsigned int i;

    if (!file->blocks) return;
    for (i = 0; i < PST_BLOCK_CACHE; i++) pst_free(file, file->blocks[i].data);
    pst_free(file, file->blocks);
    file->blocks = NULL;
}

/* Blocks of an open transaction are above the committed bidNextB and may
 * be issued again after pst_abort: they are never found by a lookup. */
static int block_cacheable(const struct pst_file *file, uint64_t bid)
{
    return !file->writer || bid < file->info.next_bid;
}

/* The slot holding the verified, decoded block of entry: from the cache,
 * or read into the least recently used slot.  The slot's data stays valid
 * until the next call. */
static int block_load(struct pst_file *file, const struct pst_bbt_entry *entry, struct pst_block_slot **out)
{
    uint64_t bid = entry->bid & ~(uint64_t)1;
    struct pst_block_slot *slot, *victim;
    unsigned int i;
    int ret;

    *out = NULL;
    if (!file->blocks)
    {
        if (!(file->blocks = pst_zalloc(file, PST_BLOCK_CACHE * sizeof(*file->blocks)))) return PST_E_NOMEM;
        file->block_root = file->bbt_ib;
    }
    if (file->block_root != file->bbt_ib)
    {
        /* a commit: start afresh rather than rely on BIDs alone */
        block_cache_flush(file);
        file->block_root = file->bbt_ib;
    }
    victim = file->blocks;
    for (i = 0; i < PST_BLOCK_CACHE; i++)
    {
        slot = &file->blocks[i];
        if (slot->cacheable && slot->bid == bid && slot->ib == entry->ib && slot->size == entry->cb)
        {
            slot->stamp = ++file->block_clock;
            *out = slot;
            return PST_OK;
        }
        if (slot->stamp < victim->stamp) victim = slot;
    }
    if (!victim->data && !(victim->data = pst_alloc(file, PST_MAX_BLOCK))) return PST_E_NOMEM;
    victim->bid = bid;
    victim->ib = entry->ib;
    victim->size = entry->cb;
    victim->serial = victim->stamp = ++file->block_clock;
    if ((ret = block_fetch(file, entry, 1, victim->data)))
    {
        victim->bid = 0;
        victim->cacheable = 0;
        victim->serial = 0;
        victim->stamp = 0;
        return ret;
    }
    victim->cacheable = block_cacheable(file, bid);
    *out = victim;
    return PST_OK;
}

/* A copy of a block the caller owns, through the cache. */
static int block_read_copy(struct pst_file *file, const struct pst_bbt_entry *entry, uint8_t **data,
                           size_t *size)
{
    struct pst_block_slot *slot;
    int ret;

    *data = NULL;
    *size = 0;
    if ((ret = block_load(file, entry, &slot))) return ret;
    if (!(*data = pst_alloc(file, slot->size))) return PST_E_NOMEM;
    memcpy(*data, slot->data, slot->size);
    *size = slot->size;
    return PST_OK;
}

int pst_block_read(struct pst_file *file, uint64_t bid, uint8_t **data, size_t *size)
{
    struct pst_bbt_entry entry;
    int ret;

    *data = NULL;
    *size = 0;
    if ((ret = pst_bbt_lookup(file, bid, &entry))) return ret;
    return block_read_copy(file, &entry, data, size);
}

/* ------------------------------------------------------- data trees -- */

static int dtree_add(struct pst_file *file, struct pst_dtree *tree, uint32_t *capacity, uint64_t bid,
                     uint32_t size)
{
    if (tree->count == *capacity)
    {
        uint32_t cap = *capacity ? *capacity * 2 : 16;
        uint64_t *bids, *offsets;
        uint32_t *sizes;

        if (cap > file->size / 64 + 16)
            return pst_error(file, PST_E_CORRUPT, "data tree has more blocks than the file can hold");
        if (!(bids = pst_realloc(file, tree->bids, cap * sizeof(*bids)))) return PST_E_NOMEM;
        tree->bids = bids;
        if (!(offsets = pst_realloc(file, tree->offsets, cap * sizeof(*offsets)))) return PST_E_NOMEM;
        tree->offsets = offsets;
        if (!(sizes = pst_realloc(file, tree->sizes, cap * sizeof(*sizes)))) return PST_E_NOMEM;
        tree->sizes = sizes;
        *capacity = cap;
    }
    /* The leaves of a well-formed tree are distinct blocks of the file, so
     * their sum cannot exceed it; a tree that names one block many times
     * (lcbTotal agreeing) would otherwise make readers allocate gigabytes
     * from a few hundred bytes of file. */
    if (tree->total > file->size || size > file->size - tree->total)
        return pst_error(file, PST_E_CORRUPT, "data tree holds more bytes than the file (block %#llx)",
                         (unsigned long long)bid);
    tree->bids[tree->count] = bid;
    tree->offsets[tree->count] = tree->total;
    tree->sizes[tree->count] = size;
    tree->total += size;
    tree->count++;
    return PST_OK;
}

static int dtree_expand(struct pst_file *file, struct pst_dtree *tree, uint32_t *capacity, uint64_t bid,
                        int expect_level)
{
    struct pst_bbt_entry entry;
    uint64_t start = tree->total;
    uint8_t *data;
    size_t size;
    unsigned int count, level, i;
    uint32_t total;
    int ret;

    if ((ret = pst_bbt_lookup(file, bid, &entry))) return ret;
    if (!(bid & 2))
    {
        if (expect_level > 0)
            return pst_error(file, PST_E_CORRUPT, "XXBLOCK child %#llx is a data block", (unsigned long long)bid);
        return dtree_add(file, tree, capacity, bid & ~(uint64_t)1, entry.cb);
    }
    if (!expect_level)
        return pst_error(file, PST_E_CORRUPT, "XBLOCK child %#llx is not a data block", (unsigned long long)bid);
    /* Internal blocks are never encoded: the cached copy is the raw one. */
    if ((ret = block_read_copy(file, &entry, &data, &size))) return ret;
    if (size < 8 || data[0] != 0x01 || (data[1] != 1 && data[1] != 2)
            || (expect_level > 0 && data[1] != expect_level))
    {
        pst_free(file, data);
        return pst_error(file, PST_E_CORRUPT, "block %#llx is not a valid XBLOCK/XXBLOCK", (unsigned long long)bid);
    }
    level = data[1];
    count = pst_rd16(data + 2);
    total = pst_rd32(data + 4);
    if (8 + (size_t)count * file->id_size > size)
    {
        pst_free(file, data);
        return pst_error(file, PST_E_CORRUPT, "XBLOCK %#llx has %u entries in %u bytes",
                         (unsigned long long)bid, count, (unsigned int)size);
    }
    for (i = 0; i < count && !ret; i++)
        ret = dtree_expand(file, tree, capacity, pst_rdid(file, data + 8 + i * file->id_size), (int)level - 1);
    pst_free(file, data);
    if (ret) return ret;
    if (tree->total - start != total)
        return pst_error(file, PST_E_CORRUPT, "XBLOCK %#llx: lcbTotal %u but children hold %llu bytes",
                         (unsigned long long)bid, total, (unsigned long long)(tree->total - start));
    return PST_OK;
}

int pst_dtree_load(struct pst_file *file, uint64_t bid, struct pst_dtree *tree)
{
    uint32_t capacity = 0;
    int ret;

    memset(tree, 0, sizeof(*tree));
    tree->cached = ~0u;
    if (!(bid & ~(uint64_t)1)) return PST_OK;
    if ((ret = dtree_expand(file, tree, &capacity, bid, -1))) pst_dtree_free(file, tree);
    return ret;
}

int pst_dtree_leaf(struct pst_file *file, struct pst_dtree *tree, uint32_t index, const uint8_t **data,
                   size_t *size)
{
    struct pst_block_slot *slot;
    struct pst_bbt_entry entry;
    int ret;

    if (index >= tree->count) return PST_E_INVALID_ARG;
    /* Rows and streams are read in order: while the slot of the last leaf
     * still holds what was read into it, skip the BBT and the cache. */
    if (tree->cached == index && file->blocks && tree->slot < PST_BLOCK_CACHE
            && file->blocks[tree->slot].serial == tree->serial)
    {
        slot = &file->blocks[tree->slot];
        *data = slot->data;
        *size = slot->size;
        return PST_OK;
    }
    tree->cached = ~0u;
    if ((ret = pst_bbt_lookup(file, tree->bids[index], &entry))) return ret;
    if (entry.cb != tree->sizes[index])
        return pst_error(file, PST_E_CORRUPT, "block %#llx changed size", (unsigned long long)tree->bids[index]);
    if ((ret = block_load(file, &entry, &slot))) return ret;
    tree->cached = index;
    tree->slot = (uint32_t)(slot - file->blocks);
    tree->serial = slot->serial;
    *data = slot->data;
    *size = slot->size;
    return PST_OK;
}

int pst_dtree_read(struct pst_file *file, struct pst_dtree *tree, uint64_t offset, void *buf, size_t len,
                   size_t *got)
{
    uint8_t *out = buf;
    uint32_t lo = 0, hi = tree->count;
    int ret;

    *got = 0;
    if (offset >= tree->total) return PST_OK;
    if (len > tree->total - offset) len = (size_t)(tree->total - offset);
    /* Leaf containing offset: last leaf whose start is <= offset. */
    while (lo + 1 < hi)
    {
        uint32_t mid = (lo + hi) / 2;

        if (tree->offsets[mid] <= offset) lo = mid;
        else hi = mid;
    }
    while (len)
    {
        const uint8_t *data;
        size_t size, skip, n;

        if ((ret = pst_dtree_leaf(file, tree, lo, &data, &size))) return ret;
        skip = (size_t)(offset - tree->offsets[lo]);
        n = size - skip;
        if (n > len) n = len;
        memcpy(out, data + skip, n);
        out += n;
        offset += n;
        len -= n;
        *got += n;
        lo++;
    }
    return PST_OK;
}

void pst_dtree_free(struct pst_file *file, struct pst_dtree *tree)
{
    pst_free(file, tree->bids);
    pst_free(file, tree->offsets);
    pst_free(file, tree->sizes);
    memset(tree, 0, sizeof(*tree));
    tree->cached = ~0u;
}

/* ------------------------------------------------------------ subnodes -- */

/* Reads an SLBLOCK/SIBLOCK and validates its header; returns entry size. */
static int subnode_block(struct pst_file *file, uint64_t bid, int expect_level, uint8_t **data,
                         unsigned int *count, unsigned int *level, unsigned int *ent_size, unsigned int *hdr)
{
    size_t size;
    int ret;

    if (!(bid & 2))
        return pst_error(file, PST_E_CORRUPT, "subnode BID %#llx is not an internal block", (unsigned long long)bid);
    if ((ret = pst_block_read(file, bid, data, &size))) return ret;
    *hdr = file->unicode ? 8 : 4;
    if (size < *hdr || (*data)[0] != 0x02 || (*data)[1] > 1
            || (expect_level >= 0 && (*data)[1] != expect_level))
    {
        pst_free(file, *data);
        *data = NULL;
        return pst_error(file, PST_E_CORRUPT, "block %#llx is not a valid SLBLOCK/SIBLOCK", (unsigned long long)bid);
    }
    *level = (*data)[1];
    *count = pst_rd16(*data + 2);
    *ent_size = *level ? 2 * file->id_size : 3 * file->id_size;
    if (*hdr + (size_t)*count * *ent_size > size)
    {
        pst_free(file, *data);
        *data = NULL;
        return pst_error(file, PST_E_CORRUPT, "subnode block %#llx has %u entries in %u bytes",
                         (unsigned long long)bid, *count, (unsigned int)size);
    }
    return PST_OK;
}

int pst_subnode_lookup(struct pst_file *file, uint64_t bid_sub, uint32_t nid, struct pst_subnode *out)
{
    int expect = -1, depth;

    for (depth = 0; depth < 2; depth++)
    {
        unsigned int count, level, ent, hdr, i, found = ~0u;
        uint8_t *data;
        int ret;

        if (!(bid_sub & ~(uint64_t)1)) return PST_E_NOT_FOUND;
        if ((ret = subnode_block(file, bid_sub, expect, &data, &count, &level, &ent, &hdr))) return ret;
        for (i = 0; i < count; i++)
        {
            uint32_t key = pst_rd32(data + hdr + i * ent);

            if (level ? key <= nid : key == nid) found = i;
            if (key >= nid) break;
        }
        if (found == ~0u)
        {
            pst_free(file, data);
            return PST_E_NOT_FOUND;
        }
        if (!level)
        {
            const uint8_t *e = data + hdr + found * ent;

            out->nid = pst_rd32(e);
            out->bid_data = pst_rdid(file, e + file->id_size);
            out->bid_sub = pst_rdid(file, e + 2 * file->id_size);
            pst_free(file, data);
            return PST_OK;
        }
        bid_sub = pst_rdid(file, data + hdr + found * ent + file->id_size);
        pst_free(file, data);
        expect = 0;
    }
    return pst_error(file, PST_E_CORRUPT, "subnode tree too deep");
}

static int subnode_walk(struct pst_file *file, uint64_t bid, int expect,
                        int (*cb)(void *ctx, const struct pst_subnode *s), void *ctx)
{
    unsigned int count, level, ent, hdr, i;
    uint8_t *data;
    int ret;

    if ((ret = subnode_block(file, bid, expect, &data, &count, &level, &ent, &hdr))) return ret;
    for (i = 0; i < count && !ret; i++)
    {
        const uint8_t *e = data + hdr + i * ent;

        if (level) ret = subnode_walk(file, pst_rdid(file, e + file->id_size), 0, cb, ctx);
        else
        {
            struct pst_subnode s;

            s.nid = pst_rd32(e);
            s.bid_data = pst_rdid(file, e + file->id_size);
            s.bid_sub = pst_rdid(file, e + 2 * file->id_size);
            ret = cb(ctx, &s);
        }
    }
    pst_free(file, data);
    return ret;
}

int pst_subnode_foreach(struct pst_file *file, uint64_t bid_sub,
                        int (*cb)(void *ctx, const struct pst_subnode *s), void *ctx)
{
    if (!(bid_sub & ~(uint64_t)1)) return PST_OK;
    return subnode_walk(file, bid_sub, -1, cb, ctx);
}

/* -------------------------------------------------------- open / close -- */

static int parse_header(struct pst_file *file)
{
    uint8_t *h = file->header;
    size_t need;
    const uint8_t *root;
    uint16_t magic_client;
    int ret, torn = 0;

    if (file->size < 512)
        return pst_error(file, PST_E_CORRUPT, "file is too small (%llu bytes) to be a PST file",
                         (unsigned long long)file->size);
    need = file->size < sizeof(file->header) ? (size_t)file->size : sizeof(file->header);
    if ((ret = file->io->read(file->io, 0, h, need)))
        return pst_error(file, ret, "cannot read the file header");
    if (memcmp(h, "!BDN", 4))
        return pst_error(file, PST_E_CORRUPT, "not a PST file (bad magic at offset 0)");
    magic_client = pst_rd16(h + 8);
    file->info.wver = pst_rd16(h + 10);
    file->info.wver_client = pst_rd16(h + 12);
    if (file->info.wver == 14 || file->info.wver == 15) file->unicode = 0;
    else if (file->info.wver >= 23 && file->info.wver < 36) file->unicode = 1;
    else if (file->info.wver == 36 || file->info.wver == 37)
        return pst_error(file, PST_E_UNSUPPORTED, "wVer %u (Unicode 4K / OST) is not supported", file->info.wver);
    else
        return pst_error(file, PST_E_UNSUPPORTED, "unknown file version wVer %u at offset 10", file->info.wver);
    if (magic_client != 0x4d53)
        return pst_error(file, PST_E_UNSUPPORTED, "wMagicClient %#x is not a PST (\"SM\")", magic_client);
    if (file->unicode && need < 564)
        return pst_error(file, PST_E_CORRUPT, "file is too small for a Unicode header");
    if (pst_crc32(0, h + 8, 471) != pst_rd32(h + 4))
        return pst_error(file, PST_E_CORRUPT, "header dwCRCPartial mismatch at offset 4");
    /* A Unicode header spans two sectors of 512 bytes.  A power loss
     * during its write, on a disk that writes a sector at a time, leaves
     * one sector old: dwCRCFull (in the second) fails while dwCRCPartial
     * holds.  The first sector names the state, and the commit protocol
     * keeps both the old and the new state whole at that point
     * (pst_write.c, commit); the second holds the sentinel and the crypt
     * method, which never change, and bidNextB, which a writer takes as
     * a lower bound only (writer_load).  So the header is taken, with the
     * AMap marked invalid: a writer rebuilds it and writes the header
     * whole again.  The checker still reports the mismatch. */
    if (file->unicode && pst_crc32(0, h + 8, 516) != pst_rd32(h + 524))
    {
        WARN("header dwCRCFull mismatch: taken as a write cut short\n");
        torn = 1;
    }

    if (file->unicode)
    {
        file->id_size = 8;
        file->page_data = 496;
        file->bt_entries = 488;
        file->block_trailer = 16;
        file->max_block_data = 8176;
        file->nbt_entry = 32;
        file->bbt_entry = 24;
        file->bt_entry = 24;
        file->info.format = PST_FORMAT_UNICODE;
        file->info.next_bid = pst_rd64(h + 516);
        file->info.next_pid = pst_rd64(h + 32);
        file->info.unique = pst_rd32(h + 40);
        root = h + 180;
        if (h[512] != 0x80) return pst_error(file, PST_E_CORRUPT, "bad header sentinel at offset 512");
        file->info.crypt_method = h[513];
    }
    else
    {
        file->id_size = 4;
        file->page_data = 500;
        file->bt_entries = 496;
        file->block_trailer = 12;
        file->max_block_data = 8180;
        file->nbt_entry = 16;
        file->bbt_entry = 12;
        file->bt_entry = 12;
        file->info.format = PST_FORMAT_ANSI;
        file->info.next_bid = pst_rd32(h + 24);
        file->info.next_pid = pst_rd32(h + 28);
        file->info.unique = pst_rd32(h + 32);
        root = h + 164;
        if (h[460] != 0x80) return pst_error(file, PST_E_CORRUPT, "bad header sentinel at offset 460");
        file->info.crypt_method = h[461];
    }
    {
        unsigned int i, base = file->unicode ? 44 : 36;

        for (i = 0; i < 32; i++) file->rgnid[i] = pst_rd32(h + base + 4 * i);
    }
    if (file->info.crypt_method > PST_CRYPT_CYCLIC)
        return pst_error(file, PST_E_UNSUPPORTED, "unknown bCryptMethod %#x", file->info.crypt_method);
    {
        unsigned int n = file->id_size;

        file->info.file_eof = pst_rdid(file, root + 4);
        file->info.amap_last = pst_rdid(file, root + 4 + n);
        file->info.amap_free = pst_rdid(file, root + 4 + 2 * n);
        file->info.pmap_free = pst_rdid(file, root + 4 + 3 * n);
        file->nbt_bid = pst_rdid(file, root + 4 + 4 * n);
        file->nbt_ib = pst_rdid(file, root + 4 + 5 * n);
        file->bbt_bid = pst_rdid(file, root + 4 + 6 * n);
        file->bbt_ib = pst_rdid(file, root + 4 + 7 * n);
        file->info.amap_valid = torn ? 0 : root[4 + 8 * n];
    }
    file->info.file_size = file->size;
    return PST_OK;
}

int pst_open(struct pst_io *io, const struct pst_allocator *alloc, struct pst_file **out, char *errmsg,
             size_t errmsg_size)
{
    struct pst_file *file;
    struct pst_allocator def;
    unsigned int i;
    int ret;

    TRACE("%p %p %p\n", io, alloc, out);
    if (errmsg && errmsg_size) errmsg[0] = 0;
    if (!out) return PST_E_INVALID_ARG;
    *out = NULL;
    if (!io || !io->read || !io->get_size) return PST_E_INVALID_ARG;
    memset(&def, 0, sizeof(def));
    if (!alloc) alloc = &def;
    file = alloc->alloc ? alloc->alloc(alloc->ctx, sizeof(*file)) : malloc(sizeof(*file));
    if (!file)
    {
        if (errmsg) pst_snprintf(errmsg, errmsg_size, "out of memory");
        return PST_E_NOMEM;
    }
    memset(file, 0, sizeof(*file));
    file->io = io;
    file->alloc = *alloc;
    if ((ret = io->get_size(io, &file->size)))
        pst_error(file, ret, "cannot get the file size");
    else if (!(file->cache = pst_alloc(file, PST_PAGE_CACHE * sizeof(*file->cache))))
        ret = pst_error(file, PST_E_NOMEM, "out of memory");
    else
    {
        for (i = 0; i < PST_PAGE_CACHE; i++) file->cache[i].ib = ~(uint64_t)0;
        ret = parse_header(file);
    }
    if (!ret)
    {
        /* Prove both B-tree roots are readable now, so a file that cannot be
         * navigated at all is refused at open with a clear message. */
        struct bt_page *page = pst_alloc(file, sizeof(*page));

        if (!page) ret = pst_error(file, PST_E_NOMEM, "out of memory");
        else
        {
            if (!(ret = bt_page_load(file, file->nbt_ib, file->nbt_bid, PST_PTYPE_NBT, -1, page)))
                ret = bt_page_load(file, file->bbt_ib, file->bbt_bid, PST_PTYPE_BBT, -1, page);
            pst_free(file, page);
        }
    }
    if (ret)
    {
        if (errmsg) pst_snprintf(errmsg, errmsg_size, "%s", file->error[0] ? file->error : pst_strerror(ret));
        pst_close(file);
        return ret;
    }
    *out = file;
    return PST_OK;
}

void pst_close(struct pst_file *file)
{
    if (!file) return;
    TRACE("%p\n", file);
    if (file->writer) pst_writer_free(file);
    block_cache_free(file);
    pst_free(file, file->cache);
    if (file->alloc.free) file->alloc.free(file->alloc.ctx, file);
    else free(file);
}

void pst_get_info(struct pst_file *file, struct pst_file_info *info)
{
    *info = file->info;
}

const char *pst_last_error(struct pst_file *file)
{
    return file ? file->error : "";
}

/* ------------------------------------------------------- public nodes -- */

int pst_node_get(struct pst_file *file, uint32_t nid, struct pst_node_info *info)
{
    struct pst_nbt_entry e;
    struct pst_dtree tree;
    int ret;

    TRACE("%p %#x\n", file, nid);
    if (!file || !info) return PST_E_INVALID_ARG;
    if ((ret = pst_nbt_lookup(file, nid, &e)))
    {
        if (ret == PST_E_NOT_FOUND) pst_error(file, ret, "NID %#x is not in the node B-tree", nid);
        return ret;
    }
    if ((ret = pst_dtree_load(file, e.bid_data, &tree))) return ret;
    info->nid = e.nid;
    info->nid_parent = e.nid_parent;
    info->bid_data = e.bid_data;
    info->bid_sub = e.bid_sub;
    info->data_size = tree.total;
    pst_dtree_free(file, &tree);
    return PST_OK;
}

struct node_foreach_ctx
{
    int (*cb)(void *ctx, const struct pst_node_info *info);
    void *ctx;
};

static int node_foreach_cb(void *ctx, const struct pst_nbt_entry *e)
{
    struct node_foreach_ctx *c = ctx;
    struct pst_node_info info;

    info.nid = e->nid;
    info.nid_parent = e->nid_parent;
    info.bid_data = e->bid_data;
    info.bid_sub = e->bid_sub;
    info.data_size = 0;
    return c->cb(c->ctx, &info);
}

int pst_node_foreach(struct pst_file *file, int (*cb)(void *ctx, const struct pst_node_info *info), void *ctx)
{
    struct node_foreach_ctx c;

    TRACE("%p\n", file);
    if (!file || !cb) return PST_E_INVALID_ARG;
    c.cb = cb;
    c.ctx = ctx;
    return pst_nbt_foreach(file, node_foreach_cb, &c);
}
