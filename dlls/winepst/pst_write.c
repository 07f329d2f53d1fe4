/*
 * PST engine: writer, node database layer (space, blocks, B-trees, commit)
 *
 * Copyright 2026 The winemapix project
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * See pst_write.h for the design and its invariants, pst.h for the commit
 * protocol and the crash-recovery rules.
 */

#include <stdlib.h>
#include <time.h>

#include "pst_write.h"

WINE_DEFAULT_DEBUG_CHANNEL(pst);

#define SLOT_SIZE        64
#define AMAP_SLOTS       (496u * 8)
#define XBLOCK_MAX       1021
#define SL_MAX           340
#define SI_MAX           510
#define FIRST_SLOT       (PST_FIRST_AMAP / SLOT_SIZE)
/* struct pst_writer.range_dirty: the range's AMap page is to be written;
 * busy may still hold slots of the range that used has freed */
#define RANGE_AMAP       1
#define RANGE_FREED      2

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr64(uint8_t *p, uint64_t v)
{
    pst_wr32(p, (uint32_t)v);
    pst_wr32(p + 4, (uint32_t)(v >> 32));
}

static int bit_get(const uint8_t *map, uint64_t i)
{
    return (map[i / 8] >> (7 - i % 8)) & 1;
}

static void bits_set(uint8_t *map, uint64_t first, uint64_t count, int value)
{
    uint64_t i;

    for (i = first; i < first + count; i++)
    {
        if (value) map[i / 8] |= 0x80 >> (i % 8);
        else map[i / 8] &= ~(0x80 >> (i % 8));
    }
}

static void bt_clear(struct pst_file *file, struct pst_wbt *t);
static void bt_touch(struct pst_file *file, int which, uint64_t key);
static void xfer_free(struct pst_file *file, struct pst_writer *w);

static unsigned int popcount8(uint8_t v)
{
    v = v - ((v >> 1) & 0x55);
    v = (v & 0x33) + ((v >> 2) & 0x33);
    return (v + (v >> 4)) & 0x0f;
}

static uint64_t range_of(uint64_t ib)
{
    return (ib - PST_FIRST_AMAP) / PST_AMAP_STRIDE;
}

void pst_w_random(uint8_t *out, size_t size)
{
    /* Not cryptographic: record keys only need to differ between stores.
     * Callers that have a real UUID source pass their own key. */
    static uint64_t counter;
    uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32) ^ (uint64_t)(size_t)out ^ (++counter * 0x9e3779b97f4a7c15ull);
    size_t i;

    for (i = 0; i < size; i++)
    {
        uint64_t z;

        x += 0x9e3779b97f4a7c15ull;
        z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        out[i] = (uint8_t)(z ^ (z >> 31));
    }
}

/* ---------------------------------------------------------- state -- */

int pst_w_check(struct pst_file *file)
{
    struct pst_writer *w = file ? file->writer : NULL;

    if (!w) return PST_E_READ_ONLY;
    if (w->broken || w->failed || !w->in_txn) return PST_E_STATE;
    w->call_bbt = w->bbt_count;
    return PST_OK;
}

/* Frees the blocks a refused write call wrote that nothing references
 * (a message refused half-way through writing it): the newest first, so
 * an internal block releases its children. */
static int drop_unreferenced(struct pst_file *file)
{
    struct pst_writer *w = file->writer;
    uint32_t i;
    int ret;

    for (i = w->bbt_count; i-- > w->call_bbt; )
        if (w->bbt[i].cref == 1 && (ret = pst_w_ref_drop(file, w->bbt[i].bid))) return ret;
    return PST_OK;
}

/* Marks the transaction dead after a failed write call: its in-memory
 * state may be half updated, so only pst_abort may follow.  A refused call
 * (invalid argument, missing object) leaves the transaction usable. */
int pst_w_fail(struct pst_file *file, int err)
{
    if (err && file->writer && (err == PST_E_INVALID_ARG || err == PST_E_NOT_FOUND))
    {
        int ret = drop_unreferenced(file);

        if (ret) err = ret;
    }
    if (err && file->writer && err != PST_E_INVALID_ARG && err != PST_E_NOT_FOUND) file->writer->failed = 1;
    return err;
}

static void writer_clear(struct pst_file *file)
{
    struct pst_writer *w = file->writer;

    pst_free(file, w->nbt);
    pst_free(file, w->bbt);
    pst_free(file, w->pages);
    pst_free(file, w->used);
    pst_free(file, w->busy);
    pst_free(file, w->range_dirty);
    pst_free(file, w->range_free);
    w->range_free = NULL;
    pst_free(file, w->range_nofit);
    w->range_nofit = NULL;
    memset(w->full_below, 0, sizeof(w->full_below));
    w->nbt = NULL;
    w->bbt = NULL;
    w->pages = NULL;
    w->used = w->busy = w->range_dirty = NULL;
    w->nbt_count = w->nbt_cap = w->bbt_count = w->bbt_cap = w->bbt_dead = w->page_count = w->page_cap = 0;
    bt_clear(file, &w->bt[0]);
    bt_clear(file, &w->bt[1]);
    pst_free(file, w->crefs);
    w->crefs = NULL;
    w->cref_count = w->cref_cap = 0;
    xfer_free(file, w);
    pst_free(file, w->xfers);
    w->xfers = NULL;
    w->xfer_count = w->xfer_cap = 0;
    w->nslots = 0;
}

void pst_writer_free(struct pst_file *file)
{
    if (!file->writer) return;
    /* The last header (fAMapValid = VALID_AMAP2) was written without a
     * flush (see commit); make it durable now.  Failure is harmless: the
     * header on disk then says INVALID and the next writer rebuilds. */
    if (file->writer->header_unflushed && !file->writer->broken) file->io->flush(file->io);
    pst_wcache_free(file);
    writer_clear(file);
    pst_free(file, file->writer);
    file->writer = NULL;
}

/* Grows the bitmaps to cover eof. */
static int bitmaps_resize(struct pst_file *file, uint64_t eof)
{
    struct pst_writer *w = file->writer;
    uint64_t nslots = eof / SLOT_SIZE, bytes = (nslots + 7) / 8, old = (w->nslots + 7) / 8;
    uint64_t ranges = range_of(eof - 1) + 1, old_ranges = w->nslots ? range_of(w->nslots * SLOT_SIZE - 1) + 1 : 0;
    uint8_t *p;

    if (nslots <= w->nslots) return PST_OK;
    if (bytes > ((size_t)-1) / 2) return PST_E_NOMEM;
    if (!(p = pst_realloc(file, w->used, (size_t)bytes))) return PST_E_NOMEM;
    w->used = p;
    memset(p + old, 0, (size_t)(bytes - old));
    if (!(p = pst_realloc(file, w->busy, (size_t)bytes))) return PST_E_NOMEM;
    w->busy = p;
    memset(p + old, 0, (size_t)(bytes - old));
    if (!(p = pst_realloc(file, w->range_dirty, (size_t)ranges))) return PST_E_NOMEM;
    w->range_dirty = p;
    memset(p + old_ranges, RANGE_AMAP, (size_t)(ranges - old_ranges));
    {
        uint32_t *f = pst_realloc(file, w->range_free, (size_t)ranges * sizeof(*f));

        if (!f) return PST_E_NOMEM;
        w->range_free = f;
        memset(f + old_ranges, 0, (size_t)(ranges - old_ranges) * sizeof(*f));
        if (!(f = pst_realloc(file, w->range_nofit, (size_t)ranges * 2 * sizeof(*f)))) return PST_E_NOMEM;
        w->range_nofit = f;
        memset(f + 2 * old_ranges, 0, (size_t)(ranges - old_ranges) * 2 * sizeof(*f));
    }
    w->nslots = nslots;
    return PST_OK;
}

/* Space in range r may have become free: it is scanned again. */
static void range_unfull(struct pst_writer *w, uint64_t r)
{
    unsigned int c;

    w->range_nofit[2 * r] = w->range_nofit[2 * r + 1] = 0;
    for (c = 0; c < sizeof(w->full_below) / sizeof(w->full_below[0]); c++)
        if (r < w->full_below[c]) w->full_below[c] = r;
}

/* The size classes of struct pst_writer.full_below: powers of two up to
 * 128 slots for unaligned requests (the largest class not above n),
 * pages for aligned ones (the only aligned requests). */
static unsigned int nofit_class(uint64_t n, int aligned)
{
    unsigned int c = 0;

    if (aligned) return 8;
    while (c < 7 && (2ull << c) <= n) c++;
    return c;
}

static uint64_t nofit_threshold(unsigned int c)
{
    return c == 8 ? PST_PAGE_SIZE / SLOT_SIZE : 1ull << c;
}

static void mark(struct pst_writer *w, uint64_t ib, uint64_t size, int value)
{
    uint64_t first = ib / SLOT_SIZE, count = (size + SLOT_SIZE - 1) / SLOT_SIZE;

    bits_set(w->used, first, count, value);
    if (value) bits_set(w->busy, first, count, 1);
    if (ib >= PST_FIRST_AMAP) w->range_dirty[range_of(ib)] |= RANGE_AMAP;
}

/* Writes the PMap page of range r (deprecated; Outlook fills it with 0xFF). */
static int write_pmap(struct pst_file *file, uint64_t ib)
{
    uint8_t page[PST_PAGE_SIZE];

    memset(page, 0xff, 496);
    page[496] = page[497] = PST_PTYPE_PMAP;
    wr16(page + 498, 0);
    pst_wr32(page + 500, pst_crc32(0, page, 496));
    wr64(page + 504, ib);
    return file->io->write(file->io, ib, page, sizeof(page));
}

/* Adds one AMap range at the end of the file. */
static int grow(struct pst_file *file)
{
    struct pst_writer *w = file->writer;
    uint64_t base = w->eof, r = range_of(base);
    int ret;

    if ((ret = bitmaps_resize(file, base + PST_AMAP_STRIDE))) return ret;
    w->eof = base + PST_AMAP_STRIDE;
    mark(w, base, PST_PAGE_SIZE, 1);
    if (r % 8 == 0)
    {
        mark(w, base + PST_PAGE_SIZE, PST_PAGE_SIZE, 1);
        if ((ret = write_pmap(file, base + PST_PAGE_SIZE))) return ret;
    }
    if (w->eof > file->size) file->size = w->eof;
    return PST_OK;
}

/* First-fit allocation of size bytes (a multiple of 64) aligned to align,
 * never across an AMap range, only where busy is clear. */
static int space_alloc(struct pst_file *file, uint64_t size, uint64_t align, uint64_t *ib)
{
    struct pst_writer *w = file->writer;
    uint64_t n = size / SLOT_SIZE, step = align / SLOT_SIZE, s, k, r, first_r, cur_r = ~(uint64_t)0, run_max = 0;
    int large = n > 8, aligned = step > 1, first_partial, ret;
    unsigned int c = nofit_class(n, aligned);

    s = w->hint[large] < FIRST_SLOT ? FIRST_SLOT : w->hint[large];
    /* the leading ranges without a run of the request's class are not
     * visited one by one */
    if (s < FIRST_SLOT + w->full_below[c] * AMAP_SLOTS) s = FIRST_SLOT + w->full_below[c] * AMAP_SLOTS;
    first_r = (s - FIRST_SLOT) / AMAP_SLOTS;
    first_partial = s > FIRST_SLOT + first_r * AMAP_SLOTS;
    for (;;)
    {
        s = (s + step - 1) / step * step;
        if (s + n > w->nslots)
        {
            if ((ret = grow(file))) return ret;
            continue;
        }
        /* Ranges a scan crossed whole without finding the run are
         * remembered until space in them is freed, so that the scan,
         * which restarts at the first slot after every commit, skips the
         * full part of the file at once. */
        r = (s - FIRST_SLOT) / AMAP_SLOTS;
        if (r != cur_r)
        {
            w->stats.ranges_visited++;
            if (cur_r != ~(uint64_t)0 && (cur_r != first_r || !first_partial))
            {
                uint32_t *nofit = &w->range_nofit[2 * cur_r + aligned];

                /* crossed whole: its longest free run is run_max (< n) */
                if (!*nofit || run_max + 1 < *nofit) *nofit = (uint32_t)(run_max + 1);
            }
            cur_r = r;
            run_max = 0;
        }
        if (w->range_nofit[2 * r + aligned] && n >= w->range_nofit[2 * r + aligned])
        {
            for (k = aligned ? 8 : 0; k < (aligned ? 9u : 8u); k++)
                if (r == w->full_below[k] && w->range_nofit[2 * r + aligned] <= nofit_threshold(k)) w->full_below[k]++;
            s = FIRST_SLOT + (r + 1) * AMAP_SLOTS;
            continue;
        }
        if (!(s % 64) && s + 64 <= w->nslots)
        {
            uint64_t word;

            /* whole 64-slot words in use are skipped at once: after a
             * commit the scan restarts at the first slot */
            memcpy(&word, w->busy + s / 8, 8);
            if (word == ~(uint64_t)0)
            {
                s += 64;
                continue;
            }
        }
        if (!(s % 8) && w->busy[s / 8] == 0xff)
        {
            s += 8;
            continue;
        }
        if (bit_get(w->busy, s))
        {
            s++;
            continue;
        }
        if (range_of(s * SLOT_SIZE) != range_of((s + n) * SLOT_SIZE - 1))
        {
            k = (PST_FIRST_AMAP + (range_of(s * SLOT_SIZE) + 1) * PST_AMAP_STRIDE) / SLOT_SIZE;
            if (k - s > run_max) run_max = k - s;   /* at most that much is free */
            s = k;
            continue;
        }
        for (k = 1; k < n && !bit_get(w->busy, s + k); k++) ;
        if (k == n) break;
        if (k > run_max) run_max = k;
        s += k + 1;
    }
    /* Scanning resumes after this run: holes left behind are found again
     * when a free lowers the hint, and by everyone after the next commit
     * (which resets it), so allocation stays linear in a bulk transaction. */
    w->hint[large] = s + n;
    *ib = s * SLOT_SIZE;
    mark(w, *ib, size, 1);
    return PST_OK;
}

/* Frees space: if the committed state may still use it, it stays busy. */
static void space_free(struct pst_file *file, uint64_t ib, uint64_t size, int committed)
{
    struct pst_writer *w = file->writer;
    uint64_t s = ib / SLOT_SIZE;

    mark(w, ib, size, 0);
    /* what the committed state uses stays busy until release_freed */
    if (committed)
    {
        w->held += (size + SLOT_SIZE - 1) / SLOT_SIZE * SLOT_SIZE;
        if (ib >= PST_FIRST_AMAP) w->range_dirty[range_of(ib)] |= RANGE_FREED;
    }
    else
    {
        if (ib >= PST_FIRST_AMAP) range_unfull(w, range_of(ib));
        bits_set(w->busy, s, (size + SLOT_SIZE - 1) / SLOT_SIZE, 0);
        if (s < w->hint[0]) w->hint[0] = s;
        if (s < w->hint[1]) w->hint[1] = s;
    }
}

static uint64_t block_space(uint16_t cb)
{
    return ((uint64_t)cb + 16 + 63) & ~(uint64_t)63;
}

/* ------------------------------------------------------ B-tree pages -- */

static void bt_clear(struct pst_file *file, struct pst_wbt *t)
{
    uint32_t k;

    for (k = 0; k < PST_MAX_DEPTH; k++)
    {
        pst_free(file, t->lv[k].v);
        t->lv[k].v = NULL;
        t->lv[k].count = t->lv[k].cap = 0;
    }
    t->nlevels = 0;
    pst_free(file, t->dirty);
    t->dirty = NULL;
    t->dirty_count = t->dirty_cap = 0;
    t->dirty_lost = 0;
}

static struct pst_wbt_node *bt_push(struct pst_file *file, struct pst_wbt_level *l)
{
    if (l->count == l->cap)
    {
        uint32_t cap = l->cap ? l->cap * 2 : 16;
        struct pst_wbt_node *v = pst_realloc(file, l->v, cap * sizeof(*v));

        if (!v) return NULL;
        l->v = v;
        l->cap = cap;
    }
    memset(&l->v[l->count], 0, sizeof(l->v[0]));
    return &l->v[l->count++];
}

/* Marks the leaf that holds (or will hold) key dirty, and lists it for
 * bt_update (without memory for the list, bt_update scans the leaves). */
static void bt_touch(struct pst_file *file, int which, uint64_t key)
{
    struct pst_writer *w = file->writer;
    struct pst_wbt *t = &w->bt[which];
    struct pst_wbt_level *l = &t->lv[0];
    uint32_t lo = 0, hi = l->count, *v;

    if (!l->count) return;
    while (lo < hi)
    {
        uint32_t mid = lo + (hi - lo) / 2;

        if (l->v[mid].key <= key) lo = mid + 1;
        else hi = mid;
    }
    lo = lo ? lo - 1 : 0;
    if (l->v[lo].dirty) return;
    l->v[lo].dirty = 1;
    if (t->dirty_count == t->dirty_cap)
    {
        uint32_t cap = t->dirty_cap ? t->dirty_cap * 2 : 64;

        if (!(v = pst_realloc(file, t->dirty, cap * sizeof(*v))))
        {
            t->dirty_lost = 1;
            return;
        }
        t->dirty = v;
        t->dirty_cap = cap;
    }
    t->dirty[t->dirty_count++] = lo;
}

/* ---------------------------------------------------- in-memory trees -- */

static int bbt_index(struct pst_writer *w, uint64_t bid, uint32_t *index)
{
    uint32_t lo = 0, hi = w->bbt_count, h = w->bbt_hint, step;

    bid &= ~(uint64_t)1;
    /* Lookups come in runs of nearby BIDs (the leaves of one data tree,
     * referenced again at every rewrite of a table): search outwards from
     * the last hit before halving the rest. */
    if (h < w->bbt_count)
    {
        if (w->bbt[h].bid < bid)
        {
            lo = h + 1;
            for (step = 1; h + step < w->bbt_count && w->bbt[h + step].bid < bid; step *= 2) lo = h + step + 1;
            if (h + step < w->bbt_count) hi = h + step + 1;
        }
        else
        {
            hi = h + 1;
            for (step = 1; step <= h && w->bbt[h - step].bid >= bid; step *= 2) hi = h - step + 1;
            if (step <= h) lo = h - step + 1;
        }
    }
    while (lo < hi)
    {
        uint32_t mid = lo + (hi - lo) / 2;

        if (w->bbt[mid].bid < bid) lo = mid + 1;
        else hi = mid;
    }
    *index = lo;
    if (lo < w->bbt_count) w->bbt_hint = lo;
    return lo < w->bbt_count && w->bbt[lo].bid == bid && w->bbt[lo].cref;
}

static uint32_t nbt_index(struct pst_writer *w, uint32_t nid, int *found)
{
    uint32_t lo = 0, hi = w->nbt_count;

    while (lo < hi)
    {
        uint32_t mid = lo + (hi - lo) / 2;

        if (w->nbt[mid].nid < nid) lo = mid + 1;
        else hi = mid;
    }
    *found = lo < w->nbt_count && w->nbt[lo].nid == nid;
    return lo;
}

int pst_writer_nbt_lookup(struct pst_file *file, uint32_t nid, struct pst_nbt_entry *entry)
{
    struct pst_writer *w = file->writer;
    int found;
    uint32_t i = nbt_index(w, nid, &found);

    if (!found) return PST_E_NOT_FOUND;
    *entry = w->nbt[i];
    return PST_OK;
}

int pst_writer_bbt_lookup(struct pst_file *file, uint64_t bid, struct pst_bbt_entry *entry)
{
    struct pst_writer *w = file->writer;
    uint32_t i;

    if (!bbt_index(w, bid, &i))
        return pst_error(file, PST_E_CORRUPT, "BID %#llx is not in the block B-tree", (unsigned long long)bid);
    *entry = w->bbt[i];
    return PST_OK;
}

int pst_writer_nbt_foreach(struct pst_file *file, int (*cb)(void *ctx, const struct pst_nbt_entry *e), void *ctx)
{
    struct pst_writer *w = file->writer;
    uint32_t i;
    int ret;

    for (i = 0; i < w->nbt_count; i++)
    {
        struct pst_nbt_entry e = w->nbt[i];

        if ((ret = cb(ctx, &e))) return ret;
    }
    return PST_OK;
}

struct pst_nbt_entry *pst_w_node_find(struct pst_file *file, uint32_t nid)
{
    struct pst_writer *w = file->writer;
    int found;
    uint32_t i = nbt_index(w, nid, &found);

    return found ? &w->nbt[i] : NULL;
}

uint32_t pst_w_new_nid(struct pst_file *file, unsigned int type)
{
    struct pst_writer *w = file->writer;

    return PST_NID_MAKE(++w->rgnid[type & 0x1f], type);
}

/* ------------------------------------------------------------ blocks -- */

int pst_w_block_write(struct pst_file *file, const uint8_t *data, size_t cb, int internal, uint64_t *bid_out)
{
    struct pst_writer *w = file->writer;
    uint8_t *buf;
    uint64_t bid, ib, size;
    struct pst_bbt_entry *e;
    int ret;

    if (cb > file->max_block_data) return PST_E_INVALID_ARG;
    if (w->bbt_count == w->bbt_cap)
    {
        uint32_t cap = w->bbt_cap ? w->bbt_cap * 2 : 256;

        if (!(e = pst_realloc(file, w->bbt, cap * sizeof(*e)))) return PST_E_NOMEM;
        w->bbt = e;
        w->bbt_cap = cap;
    }
    size = block_space((uint16_t)cb);
    if (!(buf = pst_alloc(file, (size_t)size))) return PST_E_NOMEM;
    bid = w->next_bid | (internal ? 2 : 0);
    if ((ret = space_alloc(file, size, SLOT_SIZE, &ib)))
    {
        pst_free(file, buf);
        return ret;
    }
    w->next_bid += 4;
    if (cb) memcpy(buf, data, cb);
    memset(buf + cb, 0, (size_t)size - cb - 16);   /* the padding; the trailer follows */
    if (!internal)
    {
        if (file->info.crypt_method == PST_CRYPT_PERMUTE) pst_permute_encode(buf, cb);
        else if (file->info.crypt_method == PST_CRYPT_CYCLIC) pst_cyclic(buf, cb, (uint32_t)bid);
    }
    wr16(buf + size - 16, (uint16_t)cb);
    wr16(buf + size - 14, pst_compute_sig(ib, bid));
    pst_wr32(buf + size - 12, pst_crc32(0, buf, cb));
    wr64(buf + size - 8, bid);
    ret = file->io->write(file->io, ib, buf, (size_t)size);
    pst_free(file, buf);
    if (ret)
    {
        space_free(file, ib, size, 0);
        return pst_error(file, ret, "cannot write block %#llx at %#llx", (unsigned long long)bid,
                         (unsigned long long)ib);
    }
    if (ib + size > file->size) file->size = ib + size;
    w->stats.blocks_written++;
    e = &w->bbt[w->bbt_count++];
    e->bid = bid;
    e->ib = ib;
    e->cb = (uint16_t)cb;
    e->cref = 1;
    bt_touch(file, 1, bid);
    *bid_out = bid;
    return PST_OK;
}

/* Notes that entry i's reference count is about to change (invariant 5);
 * without memory for the note its leaf is marked dirty at once. */
static void cref_note(struct pst_file *file, uint32_t i)
{
    struct pst_writer *w = file->writer;
    struct pst_wcref *n;

    if (w->cref_count == w->cref_cap)
    {
        uint32_t cap = w->cref_cap ? w->cref_cap * 2 : 256;

        if (!(n = pst_realloc(file, w->crefs, cap * sizeof(*n))))
        {
            bt_touch(file, 1, w->bbt[i].bid);
            return;
        }
        w->crefs = n;
        w->cref_cap = cap;
    }
    n = &w->crefs[w->cref_count];
    n->bid = w->bbt[i].bid;
    n->seq = w->cref_count++;
    n->cref = w->bbt[i].cref;
}

static int cref_cmp(const void *a, const void *b)
{
    const struct pst_wcref *x = a, *y = b;

    if (x->bid != y->bid) return x->bid < y->bid ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int xfer_moved(const struct pst_wxfer *x, uint32_t k)
{
    return k < x->count && (x->moved[k / 8] & (1 << (k % 8)));
}

static void xfer_free(struct pst_file *file, struct pst_writer *w)
{
    uint32_t i;

    for (i = 0; i < w->xfer_count; i++) pst_free(file, w->xfers[i].moved);
    w->xfer_count = 0;
}

/* At commit: the references still moving (both blocks live) are added. */
static int xfer_settle(struct pst_file *file)
{
    struct pst_writer *w = file->writer;
    struct pst_wxfer x;
    uint8_t *data;
    size_t size;
    uint32_t index, k;
    int ret = PST_OK;

    while (w->xfer_count && !ret)
    {
        x = w->xfers[--w->xfer_count];
        if (bbt_index(w, x.new_bid, &index) && !(ret = pst_block_read_entry(file, &w->bbt[index], 0, &data, &size)))
        {
            if (size < 8 + (size_t)x.count * 8 || data[0] != 1 || pst_rd16(data + 2) < x.count)
                ret = pst_error(file, PST_E_CORRUPT, "internal block %#llx is malformed", (unsigned long long)x.new_bid);
            for (k = 0; k < x.count && !ret; k++)
                if (xfer_moved(&x, k)) ret = pst_w_ref_add(file, pst_rd64(data + 8 + 8 * k));
            pst_free(file, data);
        }
        pst_free(file, x.moved);
    }
    return ret;
}

int pst_write_get_stats(struct pst_file *file, struct pst_write_stats *stats)
{
    TRACE("%p %p\n", file, stats);
    if (!file || !stats) return PST_E_INVALID_ARG;
    if (!file->writer) return PST_E_READ_ONLY;
    *stats = file->writer->stats;
    return PST_OK;
}

/* At commit: marks the leaves of the entries whose reference count is not
 * what it was before the transaction (the first note of each BID). */
static void cref_apply(struct pst_file *file)
{
    struct pst_writer *w = file->writer;
    uint32_t i, index;

    if (w->cref_count > 1) qsort(w->crefs, w->cref_count, sizeof(*w->crefs), cref_cmp);
    for (i = 0; i < w->cref_count; i++)
    {
        if (i && w->crefs[i].bid == w->crefs[i - 1].bid) continue;
        if (!bbt_index(w, w->crefs[i].bid, &index) || w->bbt[index].cref != w->crefs[i].cref)
            bt_touch(file, 1, w->crefs[i].bid);
    }
    w->cref_count = 0;
}

int pst_w_ref_add(struct pst_file *file, uint64_t bid)
{
    struct pst_writer *w = file->writer;
    uint32_t i;

    if (!(bid & ~(uint64_t)1)) return PST_OK;
    if (!bbt_index(w, bid, &i))
        return pst_error(file, PST_E_CORRUPT, "reference to missing BID %#llx", (unsigned long long)bid);
    if (w->bbt[i].cref == 0xffff)
        return pst_error(file, PST_E_UNSUPPORTED, "block %#llx has too many references", (unsigned long long)bid);
    cref_note(file, i);
    w->bbt[i].cref++;
    w->stats.refs_changed++;
    return PST_OK;
}

static int ref_add_many(struct pst_file *file, const uint64_t *bids, uint32_t count)
{
    uint32_t i;
    int ret;

    for (i = 0; i < count; i++)
        if ((ret = pst_w_ref_add(file, bids[i]))) return ret;
    return PST_OK;
}

int pst_w_ref_drop(struct pst_file *file, uint64_t bid)
{
    struct pst_writer *w = file->writer;
    struct pst_bbt_entry e;
    uint8_t *data = NULL;
    size_t size;
    uint32_t i, k, count;
    int ret = PST_OK;

    if (!(bid & ~(uint64_t)1)) return PST_OK;
    if (!bbt_index(w, bid, &i))
        return pst_error(file, PST_E_CORRUPT, "reference to missing BID %#llx", (unsigned long long)bid);
    w->stats.refs_changed++;
    if (w->bbt[i].cref > 2)
    {
        cref_note(file, i);
        w->bbt[i].cref--;
        return PST_OK;
    }
    /* Last reference: free the block, and an internal block's children
     * (but those whose references moved, see struct pst_wxfer). */
    e = w->bbt[i];
    if (e.bid & 2)
    {
        struct pst_wxfer moved = {0};

        for (k = 0; k < w->xfer_count; k++)
            if (w->xfers[k].old_bid == (bid & ~(uint64_t)1) || w->xfers[k].new_bid == (bid & ~(uint64_t)1))
            {
                moved = w->xfers[k];
                w->xfers[k] = w->xfers[--w->xfer_count];
                break;
            }
        if ((ret = pst_block_read_entry(file, &e, 0, &data, &size))) return ret;
        if (size < 8) ret = pst_error(file, PST_E_CORRUPT, "internal block %#llx is too small", (unsigned long long)e.bid);
        else
        {
            count = pst_rd16(data + 2);
            /* moved.count may exceed count: the old block of a moved pair
             * is shorter when leaves were appended (no bit set past it) */
            if (data[0] == 1 && 8 + (size_t)count * 8 <= size)
            {
                for (k = 0; k < count && !ret; k++)
                    if (!xfer_moved(&moved, k)) ret = pst_w_ref_drop(file, pst_rd64(data + 8 + 8 * k));
            }
            else if (moved.count) ret = pst_error(file, PST_E_CORRUPT, "internal block %#llx lost children", (unsigned long long)e.bid);
            else if (data[0] == 2 && !data[1] && 8 + (size_t)count * 24 <= size)
            {
                for (k = 0; k < count && !ret; k++)
                {
                    ret = pst_w_ref_drop(file, pst_rd64(data + 8 + 24 * k + 8));
                    if (!ret) ret = pst_w_ref_drop(file, pst_rd64(data + 8 + 24 * k + 16));
                }
            }
            else if (data[0] == 2 && data[1] == 1 && 8 + (size_t)count * 16 <= size)
            {
                for (k = 0; k < count && !ret; k++) ret = pst_w_ref_drop(file, pst_rd64(data + 8 + 16 * k + 8));
            }
            else ret = pst_error(file, PST_E_CORRUPT, "internal block %#llx is malformed", (unsigned long long)e.bid);
        }
        pst_free(file, data);
        pst_free(file, moved.moved);
        if (ret) return ret;
        /* the recursion did not move entries: the array only grows at the end */
        bbt_index(w, bid, &i);
    }
    w->bbt[i].cref = 0;
    w->bbt_dead++;
    bt_touch(file, 1, w->bbt[i].bid);
    space_free(file, e.ib, block_space(e.cb), e.bid < w->txn_bid);
    return PST_OK;
}

void pst_wleaves_free(struct pst_file *file, struct pst_wleaves *prev)
{
    uint32_t i;

    if (!prev) return;
    for (i = 0; i < prev->count; i++) pst_free(file, prev->v[i].data);
    pst_free(file, prev->v);
    pst_free(file, prev->mids);
    prev->v = NULL;
    prev->mids = NULL;
    prev->count = prev->nmid = 0;
    prev->top = 0;
}

/* Whether prev's tree is still live: then so are all its leaves (a live
 * internal block holds references to its children, and a BID is never
 * reused), and they need not be looked up one by one. */
static int tree_live(struct pst_writer *w, const struct pst_wleaves *prev)
{
    uint32_t index;

    return prev && prev->top && bbt_index(w, prev->top, &index);
}

/* Leaf i of prev may stand for a leaf of size bytes: still live, and the
 * same size (its bytes are the caller's business). */
static int leaf_reusable(struct pst_writer *w, const struct pst_wleaves *prev, int live, uint32_t i, uint32_t size)
{
    uint32_t index;

    return prev && i < prev->count && prev->v[i].size == size && !(prev->v[i].bid & 2)
            && (live || bbt_index(w, prev->v[i].bid, &index));
}

int pst_w_leaves_live(struct pst_file *file, const struct pst_wleaves *prev)
{
    return tree_live(file->writer, prev);
}

int pst_w_leaves_reusable(struct pst_file *file, const struct pst_wleaves *prev, uint32_t count, uint32_t size)
{
    int live = tree_live(file->writer, prev);
    uint32_t i;

    for (i = 0; i < count; i++)
        if (!leaf_reusable(file->writer, prev, live, i, size)) return 0;
    return 1;
}

/* Whether a live block holds data (its bytes were not kept in memory). */
static int block_holds(struct pst_file *file, uint64_t bid, const uint8_t *data, uint32_t size)
{
    uint8_t *bytes = NULL;
    size_t got = 0;
    int same;

    if (pst_block_read(file, bid, &bytes, &got)) return 0;
    same = got == size && !memcmp(bytes, data, size);
    pst_free(file, bytes);
    return same;
}

/* Leaf i of the new tree: the previous tree's leaf i if its bytes are the
 * same and its BID is still live (see struct pst_wleaf), else a new block.
 * A known leaf's data may be NULL: the caller checked that it is reusable. */
static int leaf_write(struct pst_file *file, const uint8_t *data, uint32_t size, const struct pst_wleaves *prev,
                      int live, uint32_t i, int known, int *reused, uint64_t *bid)
{
    *reused = 0;
    if (leaf_reusable(file->writer, prev, live, i, size)
            && (!size || known || (prev->v[i].data ? !memcmp(prev->v[i].data, data, size)
                                                   : block_holds(file, prev->v[i].bid, data, size))))
    {
        *reused = 1;
        *bid = prev->v[i].bid;
        return PST_OK;
    }
    if (!data) return pst_error(file, PST_E_CORRUPT, "a kept table block is gone");
    return pst_w_block_write(file, data, size, 0, bid);
}

/* Replaces prev by the leaves just written (keeping the copies of the
 * reused ones; the bytes of known leaves are not kept: the next rewrite
 * knows them too, or reads them back to compare).  Out of memory only
 * loses the reuse next time. */
static void leaves_remember(struct pst_file *file, struct pst_wleaves *prev, uint8_t **bufs, const uint32_t *sizes,
                            const uint64_t *bids, const int *reused, const uint8_t *known, uint32_t count)
{
    struct pst_wleaf *v;
    uint32_t i;

    if (!prev) return;
    if (!(v = pst_zalloc(file, (count ? count : 1) * sizeof(*v))))
    {
        pst_wleaves_free(file, prev);
        return;
    }
    for (i = 0; i < count; i++)
    {
        v[i].bid = bids[i];
        v[i].size = sizes[i];
        if (known[i]) continue;
        if (reused[i] && i < prev->count && prev->v[i].data)
        {
            v[i].data = prev->v[i].data;
            prev->v[i].data = NULL;
        }
        else if (sizes[i] && bufs[i] && (v[i].data = pst_alloc(file, sizes[i]))) memcpy(v[i].data, bufs[i], sizes[i]);
    }
    pst_wleaves_free(file, prev);
    prev->v = v;
    prev->count = count;
}

/* A data tree over given leaves: one leaf is the tree; up to 1021 leaves
 * get an XBLOCK, more an XXBLOCK of XBLOCKs.  lcbTotal is the byte count
 * below each internal block. */
int pst_w_leaves_write(struct pst_file *file, uint8_t **bufs, const uint32_t *sizes, uint32_t count, uint64_t *bid)
{
    return pst_w_leaves_write_reuse(file, bufs, sizes, count, NULL, bid);
}

int pst_w_leaves_write_reuse(struct pst_file *file, uint8_t **bufs, const uint32_t *sizes, uint32_t count,
                             struct pst_wleaves *prev, uint64_t *bid)
{
    return pst_w_leaves_write_known(file, bufs, sizes, count, prev, 0, NULL, bid);
}

/* The children of a new internal block new_bid marked in same are those of
 * old_bid in the same places, a block of the previous tree with a single
 * reference (its tree's parent, about to drop it): instead of a reference
 * added to each of them now and dropped when old_bid goes, the references
 * move (struct pst_wxfer).  The others get a reference.  Without memory
 * for the note all are added. */
static int refs_move(struct pst_file *file, uint64_t old_bid, uint64_t new_bid, const uint64_t *bids,
                     const uint8_t *same, uint32_t n)
{
    struct pst_writer *w = file->writer;
    struct pst_wxfer *x;
    uint8_t *moved = NULL;
    uint32_t index, k, count = 0;
    int ret;

    for (k = 0; k < n && same; k++) count += same[k];
    if (!count || !bbt_index(w, old_bid, &index) || w->bbt[index].cref != 2) return ref_add_many(file, bids, n);
    if (w->xfer_count == w->xfer_cap)
    {
        uint32_t cap = w->xfer_cap ? w->xfer_cap * 2 : 8;

        if (!(x = pst_realloc(file, w->xfers, cap * sizeof(*x)))) return ref_add_many(file, bids, n);
        w->xfers = x;
        w->xfer_cap = cap;
    }
    if (!(moved = pst_zalloc(file, (n + 7) / 8))) return ref_add_many(file, bids, n);
    for (k = 0; k < n; k++)
    {
        if (same[k]) moved[k / 8] |= 1 << (k % 8);
        else if ((ret = pst_w_ref_add(file, bids[k])))
        {
            /* the references added are the new block's: it holds them */
            pst_free(file, moved);
            return ret;
        }
    }
    x = &w->xfers[w->xfer_count++];
    x->old_bid = old_bid & ~(uint64_t)1;
    x->new_bid = new_bid & ~(uint64_t)1;
    x->count = n;
    x->moved = moved;
    w->stats.refs_moved += count;
    return PST_OK;
}

/* An XBLOCK (level 1) or XXBLOCK (level 2) over bids; those marked in same
 * are the children of old (0: none) in the same places. */
static int xblock_write(struct pst_file *file, uint8_t *x, unsigned int level, const uint64_t *bids, uint32_t n,
                        uint64_t bytes, uint64_t old, const uint8_t *same, uint64_t *bid)
{
    uint32_t j;
    int ret;

    x[0] = 1;
    x[1] = (uint8_t)level;
    wr16(x + 2, (uint16_t)n);
    pst_wr32(x + 4, (uint32_t)bytes);
    for (j = 0; j < n; j++) wr64(x + 8 + 8 * j, bids[j]);
    if ((ret = pst_w_block_write(file, x, 8 + 8 * n, 1, bid))) return ret;
    return refs_move(file, old, *bid, bids, old ? same : NULL, n);
}

int pst_w_leaves_write_known(struct pst_file *file, uint8_t **bufs, const uint32_t *sizes, uint32_t count,
                             struct pst_wleaves *prev, uint32_t same, const uint8_t *mask, uint64_t *bid)
{
    struct pst_writer *w = file->writer;
    uint64_t *leaves, *mids = NULL, total = 0;
    uint8_t *x = NULL, *known = NULL, *same_at = NULL;
    uint32_t i, j, nmid = 0, index;
    int *reused = NULL, ret = PST_OK, live = tree_live(w, prev);

    *bid = 0;
    if (!count)
    {
        if (prev) pst_wleaves_free(file, prev);
        return PST_OK;
    }
    if (count > XBLOCK_MAX * XBLOCK_MAX) return PST_E_TOO_BIG;
    if (!(leaves = pst_alloc(file, count * sizeof(*leaves)))) return PST_E_NOMEM;
    if (!(reused = pst_zalloc(file, count * sizeof(*reused))) || !(known = pst_zalloc(file, count))
            || (count > 1 && !(x = pst_alloc(file, PST_MAX_BLOCK))))
    {
        ret = PST_E_NOMEM;
        goto done;
    }
    for (i = 0; i < count && !ret; i++)
    {
        known[i] = i < same && (!mask || mask[i]);
        ret = leaf_write(file, bufs[i], sizes[i], prev, live, i, known[i], &reused[i], &leaves[i]);
        total += sizes[i];
        w->stats.leaves_visited++;
    }
    if (ret) goto done;
    if (count == 1)
    {
        *bid = leaves[0];
        goto done;
    }
    nmid = (count + XBLOCK_MAX - 1) / XBLOCK_MAX;
    if (!(mids = pst_alloc(file, nmid * sizeof(*mids))))
    {
        ret = PST_E_NOMEM;
        goto done;
    }
    /* children of an old internal block in the same places (the same
     * BIDs): a group whose every leaf is the same keeps its XBLOCK, others
     * take over the references of the same ones (refs_move) */
    if (!(same_at = pst_alloc(file, XBLOCK_MAX)))
    {
        ret = PST_E_NOMEM;
        goto done;
    }
    for (i = 0; i < nmid && !ret; i++)
    {
        uint32_t first = i * XBLOCK_MAX, n = count - first < XBLOCK_MAX ? count - first : XBLOCK_MAX;
        uint32_t prev_n = 0, kept = 0;
        uint64_t sub = 0, old = 0;

        if (prev && i < prev->nmid && prev->count > first && bbt_index(w, prev->mids[i], &index))
        {
            old = prev->mids[i];
            prev_n = prev->count - first < XBLOCK_MAX ? prev->count - first : XBLOCK_MAX;
        }
        for (j = 0; j < n; j++) kept += (same_at[j] = j < prev_n && reused[first + j]);
        if (old && kept == n && prev_n == n)
        {
            mids[i] = old;
            continue;
        }
        for (j = 0; j < n; j++) sub += sizes[first + j];
        ret = xblock_write(file, x, 1, leaves + first, n, sub, old, same_at, &mids[i]);
    }
    if (ret) goto done;
    if (nmid == 1) *bid = mids[0];
    else
    {
        uint64_t old = 0;
        uint32_t kept = 0;

        if (prev && prev->nmid > 1 && bbt_index(w, prev->top, &index)) old = prev->top;
        for (j = 0; j < nmid; j++) kept += (same_at[j] = old && j < prev->nmid && mids[j] == prev->mids[j]);
        if (old && kept == nmid && prev->nmid == nmid) *bid = old;
        else ret = xblock_write(file, x, 2, mids, nmid, total, old, same_at, bid);
    }
done:
    if (!ret)
    {
        leaves_remember(file, prev, bufs, sizes, leaves, reused, known, count);
        if (prev)
        {
            prev->mids = mids;
            prev->nmid = nmid;
            prev->top = *bid;
            mids = NULL;
        }
    }
    else if (prev) pst_wleaves_free(file, prev);
    pst_free(file, mids);
    pst_free(file, leaves);
    pst_free(file, reused);
    pst_free(file, known);
    pst_free(file, same_at);
    pst_free(file, x);
    return ret;
}

int pst_w_stream_write(struct pst_file *file, const uint8_t *data, uint64_t size, uint64_t *bid)
{
    uint32_t count, i, *sizes;
    uint8_t **bufs;
    int ret;

    *bid = 0;
    if (!size) return pst_w_block_write(file, data, 0, 0, bid);
    if (size > (uint64_t)XBLOCK_MAX * XBLOCK_MAX * file->max_block_data || size > 0xffffffffu) return PST_E_TOO_BIG;
    count = (uint32_t)((size + file->max_block_data - 1) / file->max_block_data);
    bufs = pst_alloc(file, count * sizeof(*bufs));
    sizes = pst_alloc(file, count * sizeof(*sizes));
    if (!bufs || !sizes) ret = PST_E_NOMEM;
    else
    {
        for (i = 0; i < count; i++)
        {
            uint64_t off = (uint64_t)i * file->max_block_data;

            bufs[i] = (uint8_t *)data + off;
            sizes[i] = (uint32_t)(size - off < file->max_block_data ? size - off : file->max_block_data);
        }
        ret = pst_w_leaves_write(file, bufs, sizes, count, bid);
    }
    pst_free(file, bufs);
    pst_free(file, sizes);
    return ret;
}

static int subnode_cmp(const void *a, const void *b)
{
    const struct pst_subnode *x = a, *y = b;

    return x->nid < y->nid ? -1 : x->nid > y->nid;
}

/* SLBLOCKs of up to 340 entries, under an SIBLOCK when there are more. */
int pst_w_subtree_write(struct pst_file *file, struct pst_subnode *entries, uint32_t count, uint64_t *bid)
{
    uint8_t *x;
    uint64_t *leaves = NULL;
    uint32_t i, j, nleaf;
    int ret = PST_OK;

    *bid = 0;
    if (!count) return PST_OK;
    nleaf = (count + SL_MAX - 1) / SL_MAX;
    if (nleaf > SI_MAX) return PST_E_TOO_BIG;
    qsort(entries, count, sizeof(*entries), subnode_cmp);
    for (i = 1; i < count; i++)
        if (entries[i].nid == entries[i - 1].nid) return PST_E_INVALID_ARG;
    /* not zeroed: every byte written out is set below */
    if (!(x = pst_alloc(file, PST_MAX_BLOCK))) return PST_E_NOMEM;
    if (!(leaves = pst_alloc(file, nleaf * sizeof(*leaves))))
    {
        pst_free(file, x);
        return PST_E_NOMEM;
    }
    for (i = 0; i < nleaf && !ret; i++)
    {
        uint32_t first = i * SL_MAX, n = count - first < SL_MAX ? count - first : SL_MAX;

        memset(x, 0, 8);
        x[0] = 2;
        x[1] = 0;
        wr16(x + 2, (uint16_t)n);
        for (j = 0; j < n; j++)
        {
            uint8_t *p = x + 8 + 24 * j;

            wr64(p, entries[first + j].nid);
            wr64(p + 8, entries[first + j].bid_data);
            wr64(p + 16, entries[first + j].bid_sub);
        }
        if ((ret = pst_w_block_write(file, x, 8 + 24 * n, 1, &leaves[i]))) break;
        for (j = 0; j < n && !ret; j++)
        {
            ret = pst_w_ref_add(file, entries[first + j].bid_data);
            if (!ret) ret = pst_w_ref_add(file, entries[first + j].bid_sub);
        }
    }
    if (!ret && nleaf == 1) *bid = leaves[0];
    else if (!ret)
    {
        memset(x, 0, 8);
        x[0] = 2;
        x[1] = 1;
        wr16(x + 2, (uint16_t)nleaf);
        for (j = 0; j < nleaf; j++)
        {
            wr64(x + 8 + 16 * j, entries[j * SL_MAX].nid);
            wr64(x + 16 + 16 * j, leaves[j]);
        }
        if (!(ret = pst_w_block_write(file, x, 8 + 16 * nleaf, 1, bid))) ret = ref_add_many(file, leaves, nleaf);
    }
    pst_free(file, leaves);
    pst_free(file, x);
    return ret;
}

/* ------------------------------------------------------------- nodes -- */

int pst_w_node_set(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub, uint32_t parent)
{
    struct pst_writer *w = file->writer;
    struct pst_nbt_entry old = {0}, *e;
    int found, ret;
    uint32_t i = nbt_index(w, nid, &found);

    /* New references first, so a block shared by old and new stays alive. */
    if ((ret = pst_w_ref_add(file, bid_data))) return ret;
    if ((ret = pst_w_ref_add(file, bid_sub))) return ret;
    if (found) old = w->nbt[i];
    else
    {
        if (w->nbt_count == w->nbt_cap)
        {
            uint32_t cap = w->nbt_cap ? w->nbt_cap * 2 : 256;

            if (!(e = pst_realloc(file, w->nbt, cap * sizeof(*e)))) return PST_E_NOMEM;
            w->nbt = e;
            w->nbt_cap = cap;
        }
        memmove(w->nbt + i + 1, w->nbt + i, (w->nbt_count - i) * sizeof(*w->nbt));
        w->nbt_count++;
        if (PST_NID_INDEX(nid) > w->rgnid[PST_NID_TYPE(nid)] && PST_NID_TYPE(nid) != PST_NID_TYPE_INTERNAL)
            w->rgnid[PST_NID_TYPE(nid)] = PST_NID_INDEX(nid);
    }
    e = &w->nbt[i];
    e->nid = nid;
    e->bid_data = bid_data;
    e->bid_sub = bid_sub;
    e->nid_parent = parent;
    bt_touch(file, 0, nid);
    if (found)
    {
        if ((ret = pst_w_ref_drop(file, old.bid_data))) return ret;
        if ((ret = pst_w_ref_drop(file, old.bid_sub))) return ret;
    }
    return PST_OK;
}

int pst_w_node_delete(struct pst_file *file, uint32_t nid)
{
    struct pst_writer *w = file->writer;
    struct pst_nbt_entry old;
    int found, ret;
    uint32_t i = nbt_index(w, nid, &found);

    if (!found) return PST_E_NOT_FOUND;
    old = w->nbt[i];
    memmove(w->nbt + i, w->nbt + i + 1, (w->nbt_count - i - 1) * sizeof(*w->nbt));
    w->nbt_count--;
    bt_touch(file, 0, nid);
    if ((ret = pst_w_ref_drop(file, old.bid_data))) return ret;
    return pst_w_ref_drop(file, old.bid_sub);
}

struct size_ctx
{
    struct pst_file *file;
    uint64_t total;
    int depth;
};

static int data_size(struct pst_file *file, uint64_t bid, uint64_t *size)
{
    struct pst_dtree tree;
    int ret;

    *size = 0;
    if (!(bid & ~(uint64_t)1)) return PST_OK;
    if ((ret = pst_dtree_load(file, bid, &tree))) return ret;
    *size = tree.total;
    pst_dtree_free(file, &tree);
    return PST_OK;
}

static int size_cb(void *ctx, const struct pst_subnode *s)
{
    struct size_ctx *c = ctx;
    uint64_t size;
    int ret;

    if ((ret = data_size(c->file, s->bid_data, &size))) return ret;
    c->total += size;
    if ((s->bid_sub & ~(uint64_t)1) && c->depth < PST_MAX_DEPTH)
    {
        c->depth++;
        ret = pst_subnode_foreach(c->file, s->bid_sub, size_cb, c);
        c->depth--;
    }
    return ret;
}

int pst_w_tree_size(struct pst_file *file, uint64_t bid_data, uint64_t bid_sub, uint64_t *size)
{
    struct size_ctx c;
    int ret;

    c.file = file;
    c.depth = 0;
    if ((ret = data_size(file, bid_data, &c.total))) return ret;
    if ((ret = pst_subnode_foreach(file, bid_sub, size_cb, &c))) return ret;
    *size = c.total;
    return PST_OK;
}

/* ---------------------------------------------------- load and commit -- */

struct load_ctx
{
    struct pst_file *file;
    struct pst_writer *w;         /* file->writer is detached while loading */
    uint8_t ptype;
    uint64_t last_key;
    int have_key;
    struct pst_wbt *tree;         /* gets the page structure */
};

static int push_page(struct pst_file *file, struct pst_writer *w, uint64_t ib)
{
    if (w->page_count == w->page_cap)
    {
        uint32_t cap = w->page_cap ? w->page_cap * 2 : 64;
        uint64_t *p = pst_realloc(file, w->pages, cap * sizeof(*p));

        if (!p) return PST_E_NOMEM;
        w->pages = p;
        w->page_cap = cap;
    }
    w->pages[w->page_count++] = ib;
    return PST_OK;
}

static int load_page(struct load_ctx *c, uint64_t ib, uint64_t bid, int level, int want_level, uint64_t key)
{
    struct pst_file *file = c->file;
    struct pst_writer *w = c->w;
    uint8_t page[PST_PAGE_SIZE];
    unsigned int i, count, clevel, cb_ent;
    struct pst_wbt_node *node;
    int ret;

    if (level >= PST_MAX_DEPTH) return pst_error(file, PST_E_CORRUPT, "B-tree too deep");
    if ((ret = pst_page_read(file, ib, bid, c->ptype, page))) return ret;
    count = page[488];
    cb_ent = page[490];
    clevel = page[491];
    if (cb_ent != (clevel ? 24 : (c->ptype == PST_PTYPE_NBT ? 32 : 24)) || count * cb_ent > 488 || clevel >= PST_MAX_DEPTH
            || (want_level >= 0 && clevel != (unsigned int)want_level))
        return pst_error(file, PST_E_CORRUPT, "B-tree page at %#llx is malformed", (unsigned long long)ib);
    if ((ret = push_page(file, w, ib))) return ret;
    if (!level)
    {
        c->tree->nlevels = clevel + 1;
        if (count) key = clevel ? pst_rdid(file, page) : (c->ptype == PST_PTYPE_NBT ? pst_rd32(page) : pst_rdid(file, page) & ~(uint64_t)1);
    }
    if (!(node = bt_push(file, &c->tree->lv[clevel]))) return PST_E_NOMEM;
    node->key = node->minkey = key;
    node->ib = ib;
    node->bid = bid;
    node->nchild = count;
    if (bid >= w->next_pid) w->next_pid = bid + 1;
    for (i = 0; i < count; i++)
    {
        const uint8_t *e = page + i * cb_ent;
        uint64_t key;

        if (clevel)
        {
            uint64_t cbid, cib;

            pst_parse_bt_entry(file, e, &key, &cbid, &cib);
            if ((ret = load_page(c, cib, cbid, level + 1, clevel - 1, key))) return ret;
            continue;
        }
        if (c->ptype == PST_PTYPE_NBT)
        {
            struct pst_nbt_entry n;

            pst_parse_nbt_entry(file, e, &n);
            key = n.nid;
            if (w->nbt_count == w->nbt_cap)
            {
                uint32_t cap = w->nbt_cap ? w->nbt_cap * 2 : 256;
                struct pst_nbt_entry *p = pst_realloc(file, w->nbt, cap * sizeof(*p));

                if (!p) return PST_E_NOMEM;
                w->nbt = p;
                w->nbt_cap = cap;
            }
            w->nbt[w->nbt_count++] = n;
        }
        else
        {
            struct pst_bbt_entry b;

            pst_parse_bbt_entry(file, e, &b);
            b.bid &= ~(uint64_t)1;
            key = b.bid;
            if (!b.cref) return pst_error(file, PST_E_CORRUPT, "block %#llx has cRef 0", (unsigned long long)b.bid);
            if (w->bbt_count == w->bbt_cap)
            {
                uint32_t cap = w->bbt_cap ? w->bbt_cap * 2 : 256;
                struct pst_bbt_entry *p = pst_realloc(file, w->bbt, cap * sizeof(*p));

                if (!p) return PST_E_NOMEM;
                w->bbt = p;
                w->bbt_cap = cap;
            }
            w->bbt[w->bbt_count++] = b;
        }
        if (c->have_key && key <= c->last_key)
            return pst_error(file, PST_E_CORRUPT, "B-tree keys out of order at %#llx", (unsigned long long)ib);
        c->last_key = key;
        c->have_key = 1;
    }
    return PST_OK;
}

/* Builds the writer's state from the committed header in file. */
static int writer_load(struct pst_file *file)
{
    struct pst_writer *w = file->writer;
    struct load_ctx c;
    uint64_t eof = file->info.file_eof, ib, r;
    uint32_t i;
    int ret;

    writer_clear(file);
    if (eof < PST_FIRST_AMAP + PST_PAGE_SIZE || (eof - PST_FIRST_AMAP) % PST_AMAP_STRIDE)
        return pst_error(file, PST_E_UNSUPPORTED, "ibFileEof %#llx is not a whole number of AMap ranges",
                         (unsigned long long)eof);
    if (file->size < eof)
        return pst_error(file, PST_E_CORRUPT, "file is shorter (%#llx) than ibFileEof %#llx",
                         (unsigned long long)file->size, (unsigned long long)eof);
    w->eof = eof;
    w->next_bid = file->info.next_bid;
    w->next_pid = file->info.next_pid;
    memcpy(w->rgnid, file->rgnid, sizeof(w->rgnid));
    if ((ret = bitmaps_resize(file, eof))) return ret;
    /* The reader must walk the on-disk trees: detach while loading. */
    file->writer = NULL;
    memset(&c, 0, sizeof(c));
    c.file = file;
    c.w = w;
    c.ptype = PST_PTYPE_NBT;
    c.tree = &w->bt[0];
    ret = load_page(&c, file->nbt_ib, file->nbt_bid, 0, -1, 0);
    if (!ret)
    {
        memset(&c, 0, sizeof(c));
        c.file = file;
        c.w = w;
        c.ptype = PST_PTYPE_BBT;
        c.tree = &w->bt[1];
        ret = load_page(&c, file->bbt_ib, file->bbt_bid, 0, -1, 0);
    }
    file->writer = w;
    if (ret) return ret;
    /* the first leaf takes every key below the others */
    w->bt[0].lv[0].v[0].key = 0;
    w->bt[1].lv[0].v[0].key = 0;
    /* Space in use: below the first AMap, map pages, B-tree pages, blocks. */
    bits_set(w->used, 0, FIRST_SLOT, 1);
    for (ib = PST_FIRST_AMAP, r = 0; ib < eof; ib += PST_AMAP_STRIDE, r++)
    {
        bits_set(w->used, ib / SLOT_SIZE, PST_PAGE_SIZE / SLOT_SIZE, 1);
        if (r % 8 == 0) bits_set(w->used, (ib + PST_PAGE_SIZE) / SLOT_SIZE, PST_PAGE_SIZE / SLOT_SIZE, 1);
    }
    for (i = 0; i < w->page_count; i++)
    {
        if (w->pages[i] % PST_PAGE_SIZE || w->pages[i] + PST_PAGE_SIZE > eof) goto bad;
        for (r = 0; r < PST_PAGE_SIZE / SLOT_SIZE; r++)
            if (bit_get(w->used, w->pages[i] / SLOT_SIZE + r)) goto bad;
        bits_set(w->used, w->pages[i] / SLOT_SIZE, PST_PAGE_SIZE / SLOT_SIZE, 1);
    }
    for (i = 0; i < w->bbt_count; i++)
    {
        uint64_t size = block_space(w->bbt[i].cb), s;

        if (w->bbt[i].bid >= w->next_bid) w->next_bid = (w->bbt[i].bid & ~(uint64_t)3) + 4;
        if (w->bbt[i].ib % SLOT_SIZE || w->bbt[i].ib < PST_FIRST_AMAP || w->bbt[i].ib + size > eof
                || w->bbt[i].cb > file->max_block_data)
            goto bad;
        for (s = 0; s < size / SLOT_SIZE; s++)
            if (bit_get(w->used, w->bbt[i].ib / SLOT_SIZE + s)) goto bad;
        bits_set(w->used, w->bbt[i].ib / SLOT_SIZE, size / SLOT_SIZE, 1);
    }
    memcpy(w->busy, w->used, (size_t)((w->nslots + 7) / 8));
    w->hint[0] = w->hint[1] = FIRST_SLOT;
    w->page_count = 0;   /* the pages are in bt from now on */
    return PST_OK;
bad:
    return pst_error(file, PST_E_CORRUPT, "overlapping or misplaced blocks or pages: the file needs repair before writing");
}

static void page_seal(uint8_t *page, uint8_t ptype, uint64_t ib, uint64_t bid)
{
    page[496] = page[497] = ptype;
    wr16(page + 498, ptype == PST_PTYPE_AMAP || ptype == PST_PTYPE_PMAP ? 0 : pst_compute_sig(ib, bid));
    pst_wr32(page + 500, pst_crc32(0, page, 496));
    wr64(page + 504, bid);
}

/* Index of the first entry with a key >= key. */
static uint32_t entry_lower_bound(struct pst_writer *w, int which, uint64_t key)
{
    uint32_t lo = 0, hi = which ? w->bbt_count : w->nbt_count;

    while (lo < hi)
    {
        uint32_t mid = lo + (hi - lo) / 2;
        uint64_t k = which ? w->bbt[mid].bid : w->nbt[mid].nid;

        if (k < key) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static int entry_live(struct pst_writer *w, int which, uint32_t i)
{
    return !which || w->bbt[i].cref;
}

static uint64_t entry_key(struct pst_writer *w, int which, uint32_t i)
{
    return which ? w->bbt[i].bid : w->nbt[i].nid;
}

/* Writes one page into fresh space: a leaf over the live entries idx[0..n)
 * or an internal page over the nodes kids[0..n) of the level below. */
static void bt_page_build(struct pst_file *file, int which, unsigned int level, const uint32_t *idx,
                          const struct pst_wbt_node *kids, uint32_t n, uint8_t *page)
{
    struct pst_writer *w = file->writer;
    unsigned int cb = level ? 24 : (which ? 24 : 32);
    uint32_t j;

    memset(page, 0, PST_PAGE_SIZE);
    for (j = 0; j < n; j++)
    {
        uint8_t *e = page + j * cb;

        if (level)
        {
            wr64(e, kids[j].minkey);
            wr64(e + 8, kids[j].bid);
            wr64(e + 16, kids[j].ib);
        }
        else if (!which)
        {
            const struct pst_nbt_entry *x = &w->nbt[idx[j]];

            wr64(e, x->nid);
            wr64(e + 8, x->bid_data);
            wr64(e + 16, x->bid_sub);
            pst_wr32(e + 24, x->nid_parent);
        }
        else
        {
            const struct pst_bbt_entry *x = &w->bbt[idx[j]];

            wr64(e, x->bid);
            wr64(e + 8, x->ib);
            wr16(e + 16, x->cb);
            wr16(e + 18, x->cref);
        }
    }
    page[488] = (uint8_t)n;
    page[489] = (uint8_t)(level ? 20 : (which ? 20 : 15));
    page[490] = (uint8_t)cb;
    page[491] = (uint8_t)level;
}

/* A leaf whose entries changed and changed back (a block referenced anew
 * by a rewritten tree and released by the old one) keeps its page. */
static int bt_page_same(struct pst_file *file, const struct pst_wbt_node *node, const uint8_t *page)
{
    uint8_t old[PST_PAGE_SIZE];

    if (file->io->read(file->io, node->ib, old, sizeof(old))) return 0;
    return !memcmp(old, page, 492);
}

static int bt_page_write(struct pst_file *file, int which, unsigned int level, const uint32_t *idx,
                         const struct pst_wbt_node *kids, uint32_t n, struct pst_wbt_node *node)
{
    struct pst_writer *w = file->writer;
    uint8_t page[PST_PAGE_SIZE], ptype = which ? PST_PTYPE_BBT : PST_PTYPE_NBT;
    int ret;

    bt_page_build(file, which, level, idx, kids, n, page);
    node->minkey = !n ? 0 : level ? kids[0].minkey : entry_key(w, which, idx[0]);
    node->nchild = n;
    node->dirty = 0;
    if ((ret = space_alloc(file, PST_PAGE_SIZE, PST_PAGE_SIZE, &node->ib))) return ret;
    node->bid = w->next_pid++;
    page_seal(page, ptype, node->ib, node->bid);
    if ((ret = file->io->write(file->io, node->ib, page, sizeof(page)))) return ret;
    if (node->ib + PST_PAGE_SIZE > file->size) file->size = node->ib + PST_PAGE_SIZE;
    return PST_OK;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* Appends index to a list of nodes (NULL list: out of memory). */
static int list_add(struct pst_file *file, uint32_t **list, uint32_t *count, uint32_t *cap, uint32_t index)
{
    if (*count == *cap)
    {
        uint32_t n = *cap ? *cap * 2 : 16, *v = pst_realloc(file, *list, n * sizeof(*v));

        if (!v) return PST_E_NOMEM;
        *list = v;
        *cap = n;
    }
    (*list)[(*count)++] = index;
    return PST_OK;
}

/* Room for count more nodes after node i of a level, for a split. */
static int level_insert(struct pst_file *file, struct pst_wbt_level *l, uint32_t i, uint32_t count)
{
    if (l->count + count > l->cap)
    {
        uint32_t cap = l->cap ? l->cap : 16;
        struct pst_wbt_node *v;

        while (cap < l->count + count) cap *= 2;
        if (!(v = pst_realloc(file, l->v, cap * sizeof(*v)))) return PST_E_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    memmove(l->v + i + 1 + count, l->v + i + 1, (l->count - i - 1) * sizeof(*l->v));
    l->count += count;
    return PST_OK;
}

/* Copy-on-write of the dirty nodes of one tree and their paths to the
 * root, level by level (see struct pst_wbt), in place: only the dirty
 * nodes of a level and their parents are looked at, so a commit's cost
 * does not grow with the tree (finding the parents walks the child counts
 * of the level above, a fraction of the level).  A node over more
 * children than a page holds is split (the last node of a level is filled
 * from the left, since appends land there; others evenly), an empty one
 * is dropped, and the tree grows or shrinks at the root.  Replaced pages
 * are freed; they stay busy until the commit point (space_free). */
static int bt_update(struct pst_file *file, int which, uint64_t *root_bid, uint64_t *root_ib)
{
    struct pst_writer *w = file->writer;
    struct pst_wbt *t = &w->bt[which];
    unsigned int leaf_max = which ? 20 : 15;
    uint32_t *idx = NULL, *list = NULL, *next = NULL, *parent = NULL, *first = NULL;
    uint32_t count = 0, cap = 0, ncount = 0, ncap = 0, k, j;
    int ret = PST_OK;

    if (!(idx = pst_alloc(file, sizeof(*idx) * 512))) return PST_E_NOMEM;
    /* the dirty leaves: the list bt_touch kept, or a scan if it could not */
    if (t->dirty_lost)
    {
        pst_free(file, t->dirty);
        for (j = 0; j < t->lv[0].count && !ret; j++)
            if (t->lv[0].v[j].dirty) ret = list_add(file, &list, &count, &cap, j);
    }
    else
    {
        list = t->dirty;
        count = t->dirty_count;
        cap = t->dirty_cap;
    }
    t->dirty = NULL;
    t->dirty_count = t->dirty_cap = 0;
    t->dirty_lost = 0;
    for (k = 0; k < t->nlevels && count && !ret; k++)
    {
        struct pst_wbt_level *l = &t->lv[k];
        struct pst_wbt_level *up = k + 1 < t->nlevels ? &t->lv[k + 1] : NULL;
        struct pst_wbt_level *below = k ? &t->lv[k - 1] : NULL;
        unsigned int max = k ? 20 : leaf_max;
        uint32_t i, p, pos, m;

        qsort(list, count, sizeof(*list), u32_cmp);
        for (i = j = 0; i < count; i++)
            if (!j || list[i] != list[j - 1]) list[j++] = list[i];
        count = j;
        /* each listed node's parent, and (above the leaves) its first child */
        pst_free(file, parent);
        pst_free(file, first);
        parent = first = NULL;
        if ((up && !(parent = pst_alloc(file, count * sizeof(*parent))))
                || (k && !(first = pst_alloc(file, count * sizeof(*first)))))
        {
            ret = PST_E_NOMEM;
            break;
        }
        if (up)
            for (i = p = pos = 0; i < count; i++)
            {
                while (p < up->count && pos + up->v[p].nchild <= list[i]) pos += up->v[p++].nchild;
                if (p >= up->count)
                {
                    ret = pst_error(file, PST_E_CORRUPT, "B-tree page structure is inconsistent");
                    break;
                }
                parent[i] = p;
            }
        if (k)
            for (i = m = pos = 0; i < count && !ret; i++)
            {
                while (m < list[i]) pos += l->v[m++].nchild;
                first[i] = pos;
            }
        if (ret) break;
        ncount = 0;
        /* from the last, so that splitting or dropping a node moves none
         * still to be done */
        for (i = count; i-- > 0 && !ret; )
        {
            uint32_t n_i = list[i], c, pieces, done, e, lo = 0, hi = 0, *kids = NULL;
            struct pst_wbt_node *n = &l->v[n_i], old = *n;
            struct pst_wbt_node *pieces_v;

            w->stats.bt_nodes_visited++;
            if (!k)
            {
                lo = n_i ? entry_lower_bound(w, which, n->key) : 0;
                hi = n_i + 1 < l->count ? entry_lower_bound(w, which, l->v[n_i + 1].key) : (which ? w->bbt_count : w->nbt_count);
                for (c = 0, e = lo; e < hi; e++) c += entry_live(w, which, e);
                if (c > 512)
                {
                    uint32_t *bigger = pst_realloc(file, idx, c * sizeof(*idx));

                    if (!bigger)
                    {
                        ret = PST_E_NOMEM;
                        break;
                    }
                    idx = bigger;
                }
                for (c = 0, e = lo; e < hi; e++)
                    if (entry_live(w, which, e)) idx[c++] = e;
                kids = idx;
                if (c && c <= max && c == n->nchild)
                {
                    uint8_t page[PST_PAGE_SIZE];

                    /* changed and changed back: the page stays */
                    bt_page_build(file, which, 0, kids, NULL, c, page);
                    if (bt_page_same(file, n, page))
                    {
                        n->dirty = 0;
                        continue;
                    }
                }
            }
            else c = n->nchild;
            if (up && (ret = list_add(file, &next, &ncount, &ncap, parent[i]))) break;
            space_free(file, n->ib, PST_PAGE_SIZE, 1);
            if (!c)
            {
                memmove(l->v + n_i, l->v + n_i + 1, (l->count - n_i - 1) * sizeof(*l->v));
                l->count--;
                if (up) up->v[parent[i]].nchild--;
                continue;
            }
            pieces = (c + max - 1) / max;
            if (pieces > 1)
            {
                if ((ret = level_insert(file, l, n_i, pieces - 1))) break;
                if (up) up->v[parent[i]].nchild += pieces - 1;
            }
            pieces_v = l->v + n_i;
            for (m = 0, done = 0; m < pieces && !ret; m++)
            {
                uint32_t size;

                if (n_i + pieces == l->count) size = c - done < max ? c - done : max;
                else size = c / pieces + (m < c % pieces);
                memset(&pieces_v[m], 0, sizeof(pieces_v[m]));
                pieces_v[m].key = !m ? old.key : (k ? below->v[first[i] + done].minkey : entry_key(w, which, kids[done]));
                if (k) ret = bt_page_write(file, which, k, NULL, below->v + first[i] + done, size, &pieces_v[m]);
                else ret = bt_page_write(file, which, 0, kids + done, NULL, size, &pieces_v[m]);
                done += size;
            }
        }
        if (ret) break;
        if (!l->count)
        {
            /* every leaf emptied: the tree is one empty leaf */
            if (k) ret = pst_error(file, PST_E_CORRUPT, "empty B-tree level");
            else if (!bt_push(file, l)) ret = PST_E_NOMEM;
            else
            {
                ret = bt_page_write(file, which, 0, idx, NULL, 0, &l->v[0]);
                if (!ret && up)
                {
                    up->v[0].nchild = 1;
                    ret = list_add(file, &next, &ncount, &ncap, 0);
                }
            }
            if (ret) break;
        }
        if (!k) l->v[0].key = 0;
        if (!up && l->count > 1)
        {
            struct pst_wbt_node *root;

            /* the root split: a new root above */
            if (k + 1 >= PST_MAX_DEPTH)
            {
                ret = pst_error(file, PST_E_TOO_BIG, "B-tree too deep");
                break;
            }
            if (!(root = bt_push(file, &t->lv[k + 1])))
            {
                ret = PST_E_NOMEM;
                break;
            }
            root->dirty = 1;
            root->nchild = l->count;
            t->nlevels++;
            if ((ret = list_add(file, &next, &ncount, &ncap, 0))) break;
        }
        pst_free(file, list);
        list = next;
        count = ncount;
        cap = ncap;
        next = NULL;
        ncount = ncap = 0;
    }
    pst_free(file, list);
    pst_free(file, next);
    pst_free(file, parent);
    pst_free(file, first);
    pst_free(file, idx);
    if (ret) return ret;
    /* a root over a single child gives way to it */
    while (t->nlevels > 1 && t->lv[t->nlevels - 1].count == 1 && t->lv[t->nlevels - 1].v[0].nchild == 1)
    {
        struct pst_wbt_level *top = &t->lv[t->nlevels - 1];

        space_free(file, top->v[0].ib, PST_PAGE_SIZE, 1);
        pst_free(file, top->v);
        top->v = NULL;
        top->count = top->cap = 0;
        t->nlevels--;
    }
    *root_bid = t->lv[t->nlevels - 1].v[0].bid;
    *root_ib = t->lv[t->nlevels - 1].v[0].ib;
    return PST_OK;
}

static void header_seal(struct pst_file *file, uint8_t *h, uint64_t nbt_bid, uint64_t nbt_ib, uint64_t bbt_bid,
                        uint64_t bbt_ib, uint64_t amap_free, uint8_t amap_valid)
{
    struct pst_writer *w = file->writer;
    uint8_t *root = h + 180;
    unsigned int i;

    wr64(h + 32, w->next_pid);
    pst_wr32(h + 40, pst_rd32(h + 40) + 1);
    for (i = 0; i < 32; i++) pst_wr32(h + 44 + 4 * i, w->rgnid[i]);
    wr64(root + 4, w->eof);
    wr64(root + 12, PST_FIRST_AMAP + (w->eof - PST_FIRST_AMAP - 1) / PST_AMAP_STRIDE * PST_AMAP_STRIDE);
    wr64(root + 20, amap_free);
    wr64(root + 36, nbt_bid);
    wr64(root + 44, nbt_ib);
    wr64(root + 52, bbt_bid);
    wr64(root + 60, bbt_ib);
    root[68] = amap_valid;
    wr64(h + 516, w->next_bid);
    pst_wr32(h + 4, pst_crc32(0, h + 8, 471));
    pst_wr32(h + 524, pst_crc32(0, h + 8, 516));
}

static int write_header(struct pst_file *file, const uint8_t *h, int flush)
{
    int ret;

    if ((ret = file->io->write(file->io, 0, h, 564))) return ret;
    file->writer->header_unflushed = !flush;
    return flush ? file->io->flush(file->io) : PST_OK;
}

/* Writes the AMap pages of changed ranges; returns the free byte count. */
static int write_amaps(struct pst_file *file, uint64_t *free_bytes)
{
    struct pst_writer *w = file->writer;
    uint8_t page[PST_PAGE_SIZE];
    uint64_t ib, r, total = 0;
    int ret;

    for (ib = PST_FIRST_AMAP, r = 0; ib < w->eof; ib += PST_AMAP_STRIDE, r++)
    {
        uint64_t s0 = ib / SLOT_SIZE, k;

        /* Only changed ranges are recounted and rewritten, so that a
         * commit's cost does not grow with the file. */
        if (!(w->range_dirty[r] & RANGE_AMAP))
        {
            total += (uint64_t)w->range_free[r] * SLOT_SIZE;
            continue;
        }
        w->range_free[r] = 0;
        for (k = 0; k < AMAP_SLOTS / 8; k++)
            w->range_free[r] += 8 - popcount8(w->used[s0 / 8 + k]);
        total += (uint64_t)w->range_free[r] * SLOT_SIZE;
        memcpy(page, w->used + s0 / 8, 496);
        page_seal(page, PST_PTYPE_AMAP, ib, ib);
        if ((ret = file->io->write(file->io, ib, page, sizeof(page)))) return ret;
    }
    *free_bytes = total;
    return PST_OK;
}

/* After the header names the new state: the committed copy of the state
 * becomes what was just written. */
static void adopt_header(struct pst_file *file, const uint8_t *h)
{
    struct pst_writer *w = file->writer;
    unsigned int i;

    memcpy(file->header, h, 564);
    file->nbt_bid = pst_rd64(h + 180 + 36);
    file->nbt_ib = pst_rd64(h + 180 + 44);
    file->bbt_bid = pst_rd64(h + 180 + 52);
    file->bbt_ib = pst_rd64(h + 180 + 60);
    file->info.file_eof = w->eof;
    file->info.amap_last = pst_rd64(h + 180 + 12);
    file->info.amap_free = pst_rd64(h + 180 + 20);
    file->info.amap_valid = h[180 + 68];
    file->info.next_bid = w->next_bid;
    file->info.next_pid = w->next_pid;
    file->info.unique = pst_rd32(h + 40);
    memcpy(file->rgnid, w->rgnid, sizeof(file->rgnid));
    file->size = w->eof;
    file->info.file_size = w->eof;
    for (i = 0; i < PST_PAGE_CACHE; i++) file->cache[i].ib = ~(uint64_t)0;
}

/* Steps 3 and 4 of the protocol: AMap pages, then the header saying so. */
static int finish_amaps(struct pst_file *file)
{
    struct pst_writer *w = file->writer;
    uint8_t h[564];
    uint64_t free_bytes, r;
    int ret;

    if ((ret = write_amaps(file, &free_bytes))) return ret;
    if ((ret = file->io->flush(file->io))) return ret;
    memcpy(h, file->header, sizeof(h));
    header_seal(file, h, file->nbt_bid, file->nbt_ib, file->bbt_bid, file->bbt_ib, free_bytes, 2);
    /* Not flushed: see commit. */
    if ((ret = write_header(file, h, 0))) return ret;
    adopt_header(file, h);
    for (r = 0; r <= range_of(w->eof - 1); r++) w->range_dirty[r] &= ~RANGE_AMAP;
    return PST_OK;
}

/* What commits freed becomes reusable once no reader in another process
 * can still be reading an older state (pst_io.c, READER_LOCK).  Asking
 * costs two wineserver round trips under Wine, about 0.2 ms: as much as
 * the rest of a small commit.  So it is asked every READER_PROBE commits,
 * or sooner once READER_PROBE_BYTES are held (a commit that deletes or
 * replaces much, whose space the next ones should find); until then the
 * freed space stays busy, as if a reader were there, and RANGE_FREED
 * marks the ranges to look at when it is released. */
#define READER_PROBE 16
#define READER_PROBE_BYTES (256 * 1024)

static void release_freed(struct pst_file *file)
{
    struct pst_writer *w = file->writer;
    uint64_t r, bytes = (w->nslots + 7) / 8;

    if (++w->unprobed < READER_PROBE && w->held < READER_PROBE_BYTES) return;
    w->unprobed = 0;
    w->held = 0;
    if (pst_io_readers(file->io))
    {
        w->nofit_stale = 1;
        return;
    }
    /* Without older differences (nofit_stale), busy differs from used
     * only in the ranges marked since the last release: copy those, so
     * that the cost does not grow with the file. */
    if (w->nofit_stale) memcpy(w->busy, w->used, (size_t)bytes);
    for (r = 0; r <= range_of(w->eof - 1); r++)
    {
        uint64_t first = (PST_FIRST_AMAP + r * PST_AMAP_STRIDE) / SLOT_SIZE / 8;

        if (!(w->range_dirty[r] & RANGE_FREED) && !w->nofit_stale) continue;
        w->range_dirty[r] &= ~RANGE_FREED;
        range_unfull(w, r);
        if (!w->nofit_stale && first < bytes)
            memcpy(w->busy + first, w->used + first, (size_t)(bytes - first < AMAP_SLOTS / 8 ? bytes - first : AMAP_SLOTS / 8));
    }
    w->nofit_stale = 0;
}

static int commit(struct pst_file *file)
{
    struct pst_writer *w = file->writer;
    uint64_t nbt_bid = 0, nbt_ib = 0, bbt_bid = 0, bbt_ib = 0;
    uint32_t i, j;
    uint8_t h[564];
    int ret;

    if ((ret = pst_wcache_flush(file))) return ret;
    if ((ret = xfer_settle(file))) return ret;
    cref_apply(file);
    /* compact the BBT now and then (dead entries are skipped meanwhile) */
    if (w->bbt_dead > w->bbt_count / 4)
    {
        for (i = j = 0; i < w->bbt_count; i++)
            if (w->bbt[i].cref) w->bbt[j++] = w->bbt[i];
        w->bbt_count = j;
        w->bbt_dead = 0;
    }
    if ((ret = bt_update(file, 0, &nbt_bid, &nbt_ib)) || (ret = bt_update(file, 1, &bbt_bid, &bbt_ib))) return ret;
    /* Two flushes per commit.  The ordering argument: the header says
     * either "these roots, and the AMap pages describe exactly them"
     * (fAMapValid = VALID_AMAP2) or "these roots; rebuild the AMap"
     * (INVALID, what pst_open_write repairs).  So:
     *   - pages the header names must be durable before it: F1 separates
     *     the new blocks and B-tree pages from the header naming them;
     *   - no AMap page may change while the durable header says VALID:
     *     the old header is rewritten with INVALID (same roots) before F1,
     *     so that after F1 the AMap pages may be written freely;
     *   - a header saying VALID may only reach the disk after the AMap
     *     pages it vouches for: it is written after F2 (which makes the
     *     AMap pages and the new header durable, the commit durable when
     *     pst_commit returns), and not flushed: if it is lost, the disk
     *     holds the same state with INVALID; the next commit's F1 or
     *     closing the file (pst_writer_free) makes it durable.
     * A crash before F1 leaves the old state (VALID with its intact AMap,
     * or INVALID) plus, possibly, a file longer than ibFileEof; between F1
     * and F2, the old or the new state, INVALID; after F2 the new state. */
    /* 1. everything new is written; the file has its final length; the
     *    committed header stops vouching for the AMap */
    if (file->info.amap_valid == 2)
    {
        memcpy(h, file->header, sizeof(h));
        h[180 + 68] = 0;
        pst_wr32(h + 4, pst_crc32(0, h + 8, 471));
        pst_wr32(h + 524, pst_crc32(0, h + 8, 516));
        if ((ret = write_header(file, h, 0))) return ret;
        memcpy(file->header, h, sizeof(h));
        file->info.amap_valid = 0;
    }
    if ((w->eof != file->info.file_eof && (ret = file->io->set_size(file->io, w->eof)))
            || (ret = file->io->flush(file->io)))
        return ret;
    /* 2. the commit point: the new roots, INVALID, and the AMap pages */
    memcpy(h, file->header, sizeof(h));
    header_seal(file, h, nbt_bid, nbt_ib, bbt_bid, bbt_ib, file->info.amap_free, 0);
    if ((ret = write_header(file, h, 0)))
    {
        w->broken = 1;
        return ret;
    }
    adopt_header(file, h);
    release_freed(file);
    w->hint[0] = w->hint[1] = FIRST_SLOT;
    w->in_txn = 0;
    /* F2, then the header saying the AMap is valid (see above) */
    if ((ret = finish_amaps(file))) w->broken = 1;
    return ret;
}

int pst_begin(struct pst_file *file)
{
    struct pst_writer *w = file ? file->writer : NULL;

    TRACE("%p\n", file);
    if (!w) return PST_E_READ_ONLY;
    if (w->broken || w->in_txn) return PST_E_STATE;
    w->in_txn = 1;
    w->failed = 0;
    w->txn_bid = w->next_bid;
    w->cref_count = 0;
    xfer_free(file, w);
    return PST_OK;
}

int pst_commit(struct pst_file *file)
{
    struct pst_writer *w = file ? file->writer : NULL;
    int ret;

    TRACE("%p\n", file);
    if ((ret = pst_w_check(file))) return ret;
    if ((ret = commit(file)))
    {
        if (!w->broken) w->failed = 1;
        WARN("commit failed: %s\n", pst_strerror(ret));
    }
    return ret;
}

void pst_abort(struct pst_file *file)
{
    struct pst_writer *w = file ? file->writer : NULL;
    uint8_t *busy = NULL;
    size_t bytes = 0, i;

    TRACE("%p\n", file);
    if (!w || !w->in_txn || w->broken) return;
    pst_wcache_free(file);
    w->in_txn = 0;
    w->failed = 0;
    /* readers in other processes: what older states use stays busy (commit) */
    if (pst_io_readers(file->io))
    {
        bytes = (size_t)((w->nslots + 7) / 8);
        if (!(busy = pst_alloc(file, bytes)))
        {
            w->broken = 1;
            return;
        }
        memcpy(busy, w->busy, bytes);
    }
    /* Nothing the committed state uses was touched: rebuild from it, and
     * drop what the transaction appended past the committed end. */
    file->size = file->info.file_eof;
    if (file->io->set_size(file->io, file->info.file_eof) || writer_load(file)) w->broken = 1;
    else if (busy)
        for (i = 0; i < bytes && i < (w->nslots + 7) / 8; i++) w->busy[i] |= busy[i];
    pst_free(file, busy);
    if (bytes) w->nofit_stale = 1;
    /* a commit that failed before its commit point may have marked the
     * committed header INVALID (see commit): make the AMap valid again */
    if (!w->broken && file->info.amap_valid != 2 && finish_amaps(file)) w->broken = 1;
}

/* Opens file (already open read-only) for writing: attach a writer, and
 * repair what a crash may have left (see pst.h). */
static int attach_writer(struct pst_file *file)
{
    struct pst_writer *w;
    uint64_t actual;
    int ret;

    if (!file->unicode) return pst_error(file, PST_E_UNSUPPORTED, "only Unicode PST files can be written");
    if (!file->io->write || !file->io->set_size || !file->io->flush) return PST_E_READ_ONLY;
    if (file->info.crypt_method > PST_CRYPT_CYCLIC) return PST_E_UNSUPPORTED;
    if (!(w = pst_zalloc(file, sizeof(*w)))) return PST_E_NOMEM;
    file->writer = w;
    if ((ret = writer_load(file))) return ret;
    /* readers in other processes may read states older than the last
     * commit: until a commit finds none, only space past the end is new */
    if (pst_io_readers(file->io))
    {
        memset(w->busy, 0xff, (size_t)((w->nslots + 7) / 8));
        w->nofit_stale = 1;
    }
    if ((ret = file->io->get_size(file->io, &actual))) return ret;
    if (actual > w->eof)
    {
        /* a transaction that did not reach its commit point grew the file */
        if ((ret = file->io->set_size(file->io, w->eof)) || (ret = file->io->flush(file->io))) return ret;
        file->size = file->info.file_size = w->eof;
    }
    /* Every AMap is rewritten from the B-trees at the first commit (this
     * also reclaims what older writers leaked); an invalid one right now. */
    memset(w->range_dirty, RANGE_AMAP, (size_t)(range_of(w->eof - 1) + 1));
    if (file->info.amap_valid != 2)
    {
        TRACE("rebuilding the allocation map\n");
        if ((ret = finish_amaps(file))) return ret;
    }
    return PST_OK;
}

int pst_open_write(struct pst_io *io, const struct pst_allocator *alloc, struct pst_file **out,
                   char *errmsg, size_t errmsg_size)
{
    struct pst_file *file;
    int ret;

    TRACE("%p %p %p\n", io, alloc, out);
    if (!out) return PST_E_INVALID_ARG;
    *out = NULL;
    if ((ret = pst_open(io, alloc, &file, errmsg, errmsg_size))) return ret;
    if ((ret = attach_writer(file)))
    {
        if (errmsg) pst_snprintf(errmsg, errmsg_size, "%s", file->error[0] ? file->error : pst_strerror(ret));
        pst_close(file);
        return ret;
    }
    *out = file;
    return PST_OK;
}

/* ------------------------------------------------------------ create -- */

/* The empty NDB skeleton: header, empty DList, one AMap range with its
 * PMap, two empty B-tree pages; the AMap is written by the first commit. */
static int write_skeleton(struct pst_io *io, uint8_t crypt)
{
    uint8_t h[564], page[PST_PAGE_SIZE];
    uint64_t eof = PST_FIRST_AMAP + PST_AMAP_STRIDE, nbt_ib = PST_FIRST_AMAP + 2 * PST_PAGE_SIZE;
    uint64_t bbt_ib = nbt_ib + PST_PAGE_SIZE;
    uint8_t *root = h + 180;
    unsigned int i;
    int ret;

    if ((ret = io->set_size(io, 0)) || (ret = io->set_size(io, eof))) return ret;
    /* density list: no entries, like Outlook's new files */
    memset(page, 0, sizeof(page));
    page_seal(page, PST_PTYPE_DLIST, PST_DLIST_OFFSET, 1);
    if ((ret = io->write(io, PST_DLIST_OFFSET, page, sizeof(page)))) return ret;
    memset(page, 0xff, 496);
    page_seal(page, PST_PTYPE_PMAP, PST_FIRST_AMAP + PST_PAGE_SIZE, PST_FIRST_AMAP + PST_PAGE_SIZE);
    if ((ret = io->write(io, PST_FIRST_AMAP + PST_PAGE_SIZE, page, sizeof(page)))) return ret;
    /* AMap: the map pages and the two B-tree pages */
    memset(page, 0, sizeof(page));
    page[0] = 0xff;
    page[1] = 0xff;
    page[2] = 0xff;
    page_seal(page, PST_PTYPE_AMAP, PST_FIRST_AMAP, PST_FIRST_AMAP);
    if ((ret = io->write(io, PST_FIRST_AMAP, page, sizeof(page)))) return ret;
    memset(page, 0, sizeof(page));
    page[489] = 15;
    page[490] = 32;
    page_seal(page, PST_PTYPE_NBT, nbt_ib, 2);
    if ((ret = io->write(io, nbt_ib, page, sizeof(page)))) return ret;
    memset(page, 0, sizeof(page));
    page[489] = 20;
    page[490] = 24;
    page_seal(page, PST_PTYPE_BBT, bbt_ib, 3);
    if ((ret = io->write(io, bbt_ib, page, sizeof(page)))) return ret;

    memset(h, 0, sizeof(h));
    memcpy(h, "!BDN", 4);
    wr16(h + 8, 0x4d53);
    wr16(h + 10, 23);
    wr16(h + 12, 19);
    h[14] = h[15] = 1;
    wr64(h + 32, 4);                      /* bidNextP */
    /* rgnid: Outlook's starting points (pst-format.md 1.1) */
    for (i = 0; i < 32; i++) pst_wr32(h + 44 + 4 * i, 0x400);
    pst_wr32(h + 44 + 4 * PST_NID_TYPE_SEARCH_FOLDER, 0x4000);
    pst_wr32(h + 44 + 4 * PST_NID_TYPE_NORMAL_MESSAGE, 0x10000);
    pst_wr32(h + 44 + 4 * PST_NID_TYPE_ASSOC_MESSAGE, 0x8000);
    wr64(root + 4, eof);
    wr64(root + 12, PST_FIRST_AMAP);
    wr64(root + 20, PST_AMAP_STRIDE - 4 * PST_PAGE_SIZE);
    wr64(root + 36, 2);
    wr64(root + 44, nbt_ib);
    wr64(root + 52, 3);
    wr64(root + 60, bbt_ib);
    root[68] = 2;
    memset(h + 256, 0xff, 256);
    h[512] = 0x80;
    h[513] = crypt;
    wr64(h + 516, 4);                     /* bidNextB */
    pst_wr32(h + 40, 1);
    pst_wr32(h + 4, pst_crc32(0, h + 8, 471));
    pst_wr32(h + 524, pst_crc32(0, h + 8, 516));
    if ((ret = io->write(io, 0, h, sizeof(h)))) return ret;
    return io->flush(io);
}

int pst_create(struct pst_io *io, const struct pst_allocator *alloc, const struct pst_create_params *params,
               struct pst_file **out, char *errmsg, size_t errmsg_size)
{
    struct pst_file *file;
    int ret;

    TRACE("%p %p %p\n", io, params, out);
    if (errmsg && errmsg_size) errmsg[0] = 0;
    if (!out) return PST_E_INVALID_ARG;
    *out = NULL;
    if (!io || !params || (params->crypt_method != PST_CRYPT_NONE && params->crypt_method != PST_CRYPT_PERMUTE)
            || (!params->display_name && params->display_name_len))
        return PST_E_INVALID_ARG;
    if (!io->write || !io->set_size || !io->flush) return PST_E_READ_ONLY;
    if ((ret = write_skeleton(io, params->crypt_method)))
    {
        if (errmsg) pst_snprintf(errmsg, errmsg_size, "cannot write the file: %s", pst_strerror(ret));
        return ret;
    }
    if ((ret = pst_open_write(io, alloc, &file, errmsg, errmsg_size))) return ret;
    if (!(ret = pst_begin(file)))
    {
        if (!(ret = pst_w_create_store(file, params))) ret = pst_commit(file);
        else pst_abort(file);
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
