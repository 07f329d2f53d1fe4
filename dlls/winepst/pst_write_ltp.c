/*
 * PST engine: writer, LTP layer (heap-on-node, BTH, property and table contexts)
 *
 * Copyright 2026 The winemapix project
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * Nodes are written whole from decoded forms (struct pst_wprops for a PC,
 * struct pst_wtable for a TC).  Layout rules kept ([MS-PST] 2.3 and what
 * Outlook and the readers expect, pst-format.md 1.2 / 2.2):
 *   - heap blocks: block 0 HNHDR (12 bytes), blocks 8, 136, ... HNBITMAPHDR
 *     (66), others HNPAGEHDR (2); allocations of at most 3580 bytes; a
 *     block of at most 8176 bytes ending in its HNPAGEMAP;
 *   - HID 0x20 is the BTHHEADER (PC) or the row-index BTHHEADER (TC), then
 *     the records / TCINFO, as Outlook does (pst-extractor needs it);
 *   - values over 3580 bytes and row matrices over 3580 bytes go to
 *     subnodes; matrix blocks hold whole rows only.
 */

#include <stddef.h>
#include <stdlib.h>

#include "pst_write.h"

#define HN_MAX_ALLOC   3580
#define HN_BLOCK       8176
#define HN_MAX_ALLOCS  1024

/* ------------------------------------------------------ property lists -- */

int pst_w_value_bytes(const struct pst_value *v, uint8_t tmp[16], const uint8_t **data, size_t *size)
{
    uint16_t type = PST_PROP_TYPE(v->tag);
    unsigned int fixed = pst_type_fixed_size(type);

    if (fixed == ~0u) return PST_E_INVALID_ARG;
    if (type == PST_PT_OBJECT)
    {
        pst_wr32(tmp, v->u.obj.nid);
        pst_wr32(tmp + 4, v->u.obj.size);
        *data = tmp;
        *size = 8;
        return PST_OK;
    }
    if (!fixed || fixed > 8)
    {
        if (fixed && v->size != fixed) return PST_E_INVALID_ARG;
        if (v->size && !v->bytes) return PST_E_INVALID_ARG;
        *data = v->bytes;
        *size = v->size;
        return PST_OK;
    }
    memset(tmp, 0, 16);
    switch (fixed)
    {
    case 1: tmp[0] = v->u.boolean ? 1 : 0; break;
    case 2: tmp[0] = (uint8_t)v->u.i2; tmp[1] = (uint8_t)((uint16_t)v->u.i2 >> 8); break;
    case 4:
        if (type == PST_PT_R4) memcpy(tmp, &v->u.r4, 4);
        else pst_wr32(tmp, (uint32_t)v->u.l);
        break;
    case 8:
    {
        uint64_t bits;

        if (type == PST_PT_DOUBLE || type == PST_PT_APPTIME) memcpy(&bits, &v->u.dbl, 8);
        else bits = (uint64_t)v->u.i8;
        pst_wr32(tmp, (uint32_t)bits);
        pst_wr32(tmp + 4, (uint32_t)(bits >> 32));
        break;
    }
    }
    *data = tmp;
    *size = fixed;
    return PST_OK;
}

static uint32_t wprops_index(const struct pst_wprops *p, uint16_t id, int *found)
{
    uint32_t lo = 0, hi = p->count;

    while (lo < hi)
    {
        uint32_t mid = lo + (hi - lo) / 2;

        if (PST_PROP_ID(p->v[mid].tag) < id) lo = mid + 1;
        else hi = mid;
    }
    *found = lo < p->count && PST_PROP_ID(p->v[lo].tag) == id;
    return lo;
}

int pst_wprops_set(struct pst_file *file, struct pst_wprops *p, uint32_t tag, const void *data, size_t size)
{
    int found;
    uint32_t i = wprops_index(p, PST_PROP_ID(tag), &found);
    uint8_t *copy = NULL;

    if (size > 0xffffffffu) return PST_E_TOO_BIG;
    if (size && !(copy = pst_alloc(file, size))) return PST_E_NOMEM;
    if (size) memcpy(copy, data, size);
    if (found) pst_free(file, p->v[i].data);
    else
    {
        if (p->count == p->cap)
        {
            uint32_t cap = p->cap ? p->cap * 2 : 16;
            struct pst_wprop *v = pst_realloc(file, p->v, cap * sizeof(*v));

            if (!v)
            {
                pst_free(file, copy);
                return PST_E_NOMEM;
            }
            p->v = v;
            p->cap = cap;
        }
        memmove(p->v + i + 1, p->v + i, (p->count - i) * sizeof(*p->v));
        p->count++;
    }
    p->v[i].tag = tag;
    p->v[i].size = (uint32_t)size;
    p->v[i].data = copy;
    return PST_OK;
}

int pst_wprops_set_value(struct pst_file *file, struct pst_wprops *p, const struct pst_value *value)
{
    uint8_t tmp[16];
    const uint8_t *data;
    size_t size;
    int ret;

    if ((ret = pst_w_value_bytes(value, tmp, &data, &size))) return ret;
    return pst_wprops_set(file, p, value->tag, data, size);
}

int pst_wprops_set_long(struct pst_file *file, struct pst_wprops *p, uint32_t tag, uint32_t value)
{
    uint8_t tmp[4];

    if (PST_PROP_TYPE(tag) == PST_PT_BOOLEAN)
    {
        tmp[0] = value ? 1 : 0;
        return pst_wprops_set(file, p, tag, tmp, 1);
    }
    pst_wr32(tmp, value);
    return pst_wprops_set(file, p, tag, tmp, 4);
}

void pst_wprops_remove(struct pst_file *file, struct pst_wprops *p, uint32_t tag)
{
    int found;
    uint32_t i = wprops_index(p, PST_PROP_ID(tag), &found);

    if (!found) return;
    pst_free(file, p->v[i].data);
    memmove(p->v + i, p->v + i + 1, (p->count - i - 1) * sizeof(*p->v));
    p->count--;
}

const struct pst_wprop *pst_wprops_find(const struct pst_wprops *p, uint32_t tag)
{
    int found;
    uint32_t i = wprops_index(p, PST_PROP_ID(tag), &found);

    return found && p->v[i].tag == tag ? &p->v[i] : NULL;
}

int pst_wprops_get_long(const struct pst_wprops *p, uint32_t tag, int32_t *value)
{
    const struct pst_wprop *v = pst_wprops_find(p, tag);

    if (!v) return 0;
    if (v->size == 1) *value = v->data[0];
    else if (v->size == 4) *value = (int32_t)pst_rd32(v->data);
    else return 0;
    return 1;
}

void pst_wprops_free(struct pst_file *file, struct pst_wprops *p)
{
    uint32_t i;

    for (i = 0; i < p->count; i++) pst_free(file, p->v[i].data);
    pst_free(file, p->v);
    memset(p, 0, sizeof(*p));
}

int pst_wprops_copy(struct pst_file *file, struct pst_wprops *dst, const struct pst_wprops *src)
{
    uint32_t i;
    int ret;

    memset(dst, 0, sizeof(*dst));
    for (i = 0; i < src->count; i++)
    {
        if ((ret = pst_wprops_set(file, dst, src->v[i].tag, src->v[i].data, src->v[i].size)))
        {
            pst_wprops_free(file, dst);
            return ret;
        }
    }
    return PST_OK;
}

int pst_wprops_load(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub, struct pst_wprops *props)
{
    struct pst_object *obj;
    uint32_t i, n;
    int ret;

    memset(props, 0, sizeof(*props));
    if ((ret = pst_object_load(file, nid, bid_data, bid_sub, PST_OBJ_OTHER, &obj))) return ret;
    n = pst_prop_count(obj);
    for (i = 0; i < n && !ret; i++)
    {
        struct pst_value v;

        if (!(ret = pst_prop_get_at(obj, i, &v))) ret = pst_wprops_set_value(file, props, &v);
    }
    pst_object_close(obj);
    if (ret) pst_wprops_free(file, props);
    return ret;
}

/* ---------------------------------------------------------------- tables -- */

void pst_wtable_free(struct pst_file *file, struct pst_wtable *t)
{
    uint32_t i, k;

    for (i = 0; i < t->nrows; i++)
    {
        for (k = 0; k < t->ncols && t->rows[i].cells; k++) pst_free(file, t->rows[i].cells[k].data);
        pst_free(file, t->rows[i].cells);
    }
    pst_free(file, t->rows);
    pst_free(file, t->cols);
    memset(t, 0, sizeof(*t));
}

static void layout_ends(struct pst_wtable *t)
{
    uint32_t i;

    t->end4 = 8;
    t->end2 = t->end1 = 0;
    for (i = 0; i < t->ncols; i++)
    {
        unsigned int end = t->cols[i].offset + t->cols[i].size;

        if (t->cols[i].size >= 4 && end > t->end4) t->end4 = (uint16_t)end;
    }
    t->end2 = t->end4;
    for (i = 0; i < t->ncols; i++)
        if (t->cols[i].size == 2 && t->cols[i].offset + 2u > t->end2) t->end2 = t->cols[i].offset + 2;
    t->end1 = t->end2;
    for (i = 0; i < t->ncols; i++)
        if (t->cols[i].size == 1 && t->cols[i].offset + 1u > t->end1) t->end1 = t->cols[i].offset + 1;
}

int pst_wtable_init(struct pst_file *file, struct pst_wtable *t, const struct pst_column *cols, uint32_t ncols)
{
    memset(t, 0, sizeof(*t));
    if (!(t->cols = pst_alloc(file, (ncols ? ncols : 1) * sizeof(*cols)))) return PST_E_NOMEM;
    memcpy(t->cols, cols, ncols * sizeof(*cols));
    t->ncols = ncols;
    layout_ends(t);
    t->clean = 0;
    return PST_OK;
}

int pst_wtable_find_column(const struct pst_wtable *t, uint32_t tag)
{
    uint32_t i;

    for (i = 0; i < t->ncols; i++)
        if (t->cols[i].tag == tag) return (int)i;
    return -1;
}

int pst_wtable_find_row(const struct pst_wtable *t, uint32_t id)
{
    uint32_t i, lo = 0, hi = t->nrows;

    if (!t->unsorted)
    {
        while (lo < hi)
        {
            uint32_t mid = lo + (hi - lo) / 2;

            if (t->rows[mid].id < id) lo = mid + 1;
            else hi = mid;
        }
        return lo < t->nrows && t->rows[lo].id == id ? (int)lo : -1;
    }
    for (i = 0; i < t->nrows; i++)
        if (t->rows[i].id == id) return (int)i;
    return -1;
}

static unsigned int cell_size(uint16_t type)
{
    unsigned int fixed = pst_type_fixed_size(type);

    return fixed && fixed <= 8 ? fixed : 4;
}

/* New columns go at the end of their size group, shifting the smaller
 * groups; TCINFO stays sorted by tag, as Outlook writes it. */
int pst_wtable_add_column(struct pst_file *file, struct pst_wtable *t, uint32_t tag)
{
    unsigned int cb = cell_size(PST_PROP_TYPE(tag)), at, i, k;
    struct pst_column *cols;
    uint16_t start;
    int ret;

    if (pst_type_fixed_size(PST_PROP_TYPE(tag)) == ~0u || t->ncols >= 255) return PST_E_INVALID_ARG;
    if (pst_wtable_find_column(t, tag) >= 0) return PST_OK;
    if ((ret = pst_wtable_hydrate(file, t))) return ret;
    if (!(cols = pst_realloc(file, t->cols, (t->ncols + 1) * sizeof(*cols)))) return PST_E_NOMEM;
    t->cols = cols;
    start = cb >= 4 ? t->end4 : cb == 2 ? t->end2 : t->end1;
    for (i = 0; i < t->ncols; i++)
        if (cols[i].size < cb && cb >= 2 && cols[i].offset >= start) cols[i].offset += cb;
        else if (cb >= 4 && cols[i].size < 4 && cols[i].offset >= start) cols[i].offset += cb;
    for (at = 0; at < t->ncols && cols[at].tag < tag; at++) ;
    memmove(cols + at + 1, cols + at, (t->ncols - at) * sizeof(*cols));
    cols[at].tag = tag;
    cols[at].offset = start;
    cols[at].size = (uint8_t)cb;
    cols[at].bit = (uint8_t)t->ncols;
    for (i = 0; i < t->nrows; i++)
    {
        struct pst_wprop *cells = pst_realloc(file, t->rows[i].cells, (t->ncols + 1) * sizeof(*cells));

        if (!cells) return PST_E_NOMEM;   /* rows before i have the new cell: ncols is not bumped, so harmless */
        memmove(cells + at + 1, cells + at, (t->ncols - at) * sizeof(*cells));
        memset(&cells[at], 0, sizeof(cells[at]));
        t->rows[i].cells = cells;
    }
    t->ncols++;
    (void)k;
    layout_ends(t);
    t->clean = 0;
    return PST_OK;
}

int pst_wtable_set_row(struct pst_file *file, struct pst_wtable *t, uint32_t id, const struct pst_wprops *props,
                       int keep_others)
{
    int r = pst_wtable_find_row(t, id), ret;
    struct pst_wrow *row;
    uint32_t k;

    if (r >= 0 && (uint32_t)r < t->dry_end)
    {
        if ((ret = pst_wtable_hydrate(file, t))) return ret;
    }
    if (r < 0)
    {
        if (t->nrows == t->cap)
        {
            uint32_t cap = t->cap ? t->cap * 2 : 16;
            struct pst_wrow *rows = pst_realloc(file, t->rows, cap * sizeof(*rows));

            if (!rows) return PST_E_NOMEM;
            t->rows = rows;
            t->cap = cap;
        }
        row = &t->rows[t->nrows];
        if (!(row->cells = pst_zalloc(file, (t->ncols ? t->ncols : 1) * sizeof(*row->cells)))) return PST_E_NOMEM;
        if (t->nrows && t->rows[t->nrows - 1].id >= id) t->unsorted = 1;
        row->id = id;
        row->ver = 0;
        t->nrows++;
    }
    else
    {
        row = &t->rows[r];
        if ((uint32_t)r < t->clean) t->clean = r;
    }
    for (k = 0; k < t->ncols; k++)
    {
        uint32_t tag = t->cols[k].tag;
        const struct pst_wprop *v;
        struct pst_wprop *cell = &row->cells[k];

        if (tag == PST_PR_LTP_ROW_ID || tag == PST_PR_LTP_ROW_VER) continue;
        v = pst_wprops_find(props, tag);
        if (!v && keep_others) continue;
        pst_free(file, cell->data);
        memset(cell, 0, sizeof(*cell));
        if (!v) continue;
        if (v->size && !(cell->data = pst_alloc(file, v->size))) return PST_E_NOMEM;
        if (v->size) memcpy(cell->data, v->data, v->size);
        cell->size = v->size;
        cell->tag = tag;
    }
    return PST_OK;
}

void pst_wtable_delete_row(struct pst_file *file, struct pst_wtable *t, uint32_t id)
{
    int r = pst_wtable_find_row(t, id);
    uint32_t k;

    if (r < 0) return;
    for (k = 0; k < t->ncols && t->rows[r].cells; k++) pst_free(file, t->rows[r].cells[k].data);
    pst_free(file, t->rows[r].cells);
    if ((uint32_t)r < t->dry_end) t->dry_end--;
    memmove(t->rows + r, t->rows + r + 1, (t->nrows - r - 1) * sizeof(*t->rows));
    if ((uint32_t)r < t->clean) t->clean = r;
    t->nrows--;
}

int pst_wtable_hydrate(struct pst_file *file, struct pst_wtable *t)
{
    struct pst_nbt_entry *e;
    struct pst_wtable old;
    uint32_t r, k;
    int ret, j, *map;

    if (!t->dry_end) return PST_OK;
    if (!(e = pst_w_node_find(file, t->nid)))
        return pst_error(file, PST_E_CORRUPT, "table %#x is gone with rows not in memory", t->nid);
    if ((ret = pst_wtable_load(file, t->nid, e->bid_data, e->bid_sub, &old))) return ret;
    /* by tag: columns added since the node was written stay empty */
    if (!(map = pst_alloc(file, (t->ncols ? t->ncols : 1) * sizeof(*map)))) ret = PST_E_NOMEM;
    for (k = 0; k < t->ncols && !ret; k++) map[k] = pst_wtable_find_column(&old, t->cols[k].tag);
    for (r = 0; r < t->dry_end && !ret; r++)
    {
        struct pst_wrow *row = &t->rows[r];

        if (row->cells) continue;
        if ((j = pst_wtable_find_row(&old, row->id)) < 0)
        {
            ret = pst_error(file, PST_E_CORRUPT, "row %#x of table %#x is gone", row->id, t->nid);
            break;
        }
        if (!(row->cells = pst_zalloc(file, (t->ncols ? t->ncols : 1) * sizeof(*row->cells))))
        {
            ret = PST_E_NOMEM;
            break;
        }
        for (k = 0; k < t->ncols; k++)
            if (map[k] >= 0)
            {
                row->cells[k] = old.rows[j].cells[map[k]];
                memset(&old.rows[j].cells[map[k]], 0, sizeof(old.rows[j].cells[map[k]]));
            }
    }
    pst_free(file, map);
    pst_wtable_free(file, &old);
    /* a partial failure leaves dry_end: rows without cells are filled next time */
    if (!ret) t->dry_end = 0;
    return ret;
}

int pst_wtable_load(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub, struct pst_wtable *t)
{
    struct pst_table *tc;
    struct pst_column *cols = NULL;
    uint32_t i, k, n, ncols;
    int ret;

    memset(t, 0, sizeof(*t));
    if ((ret = pst_table_load(file, nid, bid_data, bid_sub, &tc))) return ret;
    ncols = pst_table_column_count(tc);
    if (!(cols = pst_alloc(file, (ncols ? ncols : 1) * sizeof(*cols)))) ret = PST_E_NOMEM;
    for (i = 0; i < ncols && !ret; i++) ret = pst_table_column(tc, i, &cols[i]);
    if (!ret) ret = pst_wtable_init(file, t, cols, ncols);
    pst_free(file, cols);
    n = pst_table_row_count(tc);
    if (!ret && n && !(t->rows = pst_zalloc(file, n * sizeof(*t->rows)))) ret = PST_E_NOMEM;
    t->cap = n;
    for (i = 0; i < n && !ret; i++)
    {
        struct pst_wrow *row = &t->rows[i];
        struct pst_value v;

        if (!(row->cells = pst_zalloc(file, (ncols ? ncols : 1) * sizeof(*row->cells))))
        {
            ret = PST_E_NOMEM;
            break;
        }
        t->nrows++;
        if ((ret = pst_table_row_id(tc, i, &row->id))) break;
        if (i && t->rows[i - 1].id >= row->id) t->unsorted = 1;
        if (!pst_table_get_cell(tc, i, PST_PR_LTP_ROW_VER, &v)) row->ver = (uint32_t)v.u.l;
        for (k = 0; k < ncols && !ret; k++)
        {
            uint8_t tmp[16];
            const uint8_t *data;
            size_t size;
            uint32_t tag = t->cols[k].tag;

            if (tag == PST_PR_LTP_ROW_ID || tag == PST_PR_LTP_ROW_VER) continue;
            ret = pst_table_get_cell(tc, i, tag, &v);
            if (ret == PST_E_NOT_FOUND)
            {
                ret = PST_OK;
                continue;
            }
            if (ret) break;
            if ((ret = pst_w_value_bytes(&v, tmp, &data, &size))) break;
            if (size && !(row->cells[k].data = pst_alloc(file, size)))
            {
                ret = PST_E_NOMEM;
                break;
            }
            if (size) memcpy(row->cells[k].data, data, size);
            row->cells[k].size = (uint32_t)size;
            row->cells[k].tag = tag;
        }
    }
    pst_table_close(tc);
    if (ret) pst_wtable_free(file, t);
    return ret;
}

/* ------------------------------------------------------------------ heap -- */

struct hn_block
{
    uint8_t *data;                /* HN_BLOCK bytes */
    unsigned int hdr;             /* header size */
    unsigned int used;            /* end of the allocations */
    unsigned int nalloc;
    unsigned int sealed;          /* nonzero: the page map is written and this is the block's size; such a
                                   * block belongs to a table snapshot and builders only borrow it */
    uint16_t offs[HN_MAX_ALLOCS + 1];
};

struct hn_builder
{
    struct pst_file *file;
    struct hn_block **blocks;
    uint32_t count, cap;
    uint8_t client_sig;
    uint32_t user_root;
};

static void hn_free(struct hn_builder *b)
{
    uint32_t i;

    for (i = 0; i < b->count; i++)
    {
        if (b->blocks[i]->sealed) continue;
        pst_free(b->file, b->blocks[i]->data);
        pst_free(b->file, b->blocks[i]);
    }
    pst_free(b->file, b->blocks);
    b->blocks = NULL;
    b->count = 0;
}

static int hn_new_block(struct hn_builder *b)
{
    struct hn_block *blk;

    if (b->count == 0xffff) return PST_E_TOO_BIG;
    if (b->count == b->cap)
    {
        uint32_t cap = b->cap ? b->cap * 2 : 4;
        struct hn_block **p = pst_realloc(b->file, b->blocks, cap * sizeof(*p));

        if (!p) return PST_E_NOMEM;
        b->blocks = p;
        b->cap = cap;
    }
    if (!(blk = pst_zalloc(b->file, sizeof(*blk)))) return PST_E_NOMEM;
    /* Only the header is zeroed (hn_finish ORs fill levels into it): an
     * allocation is written whole by whoever asked for it, and hn_finish
     * writes the rest of what goes out. */
    if (!(blk->data = pst_alloc(b->file, HN_BLOCK)))
    {
        pst_free(b->file, blk);
        return PST_E_NOMEM;
    }
    blk->hdr = !b->count ? 12 : (b->count % 128 == 8 ? 66 : 2);
    memset(blk->data, 0, blk->hdr);
    blk->used = blk->hdr;
    blk->offs[0] = (uint16_t)blk->hdr;
    b->blocks[b->count++] = blk;
    return PST_OK;
}

/* Bytes a block would have with one more allocation of size. */
static unsigned int hn_fit(const struct hn_block *blk, unsigned int size)
{
    unsigned int end = blk->used + size;

    return end + (end & 1) + 4 + 2 * (blk->nalloc + 2);
}

static int hn_alloc(struct hn_builder *b, unsigned int size, uint32_t *hid, uint8_t **ptr)
{
    struct hn_block *blk;
    int ret;

    if (size > HN_MAX_ALLOC) return PST_E_INVALID_ARG;
    if (!b->count || hn_fit(b->blocks[b->count - 1], size) > HN_BLOCK
            || b->blocks[b->count - 1]->nalloc >= HN_MAX_ALLOCS)
    {
        if ((ret = hn_new_block(b))) return ret;
    }
    blk = b->blocks[b->count - 1];
    *ptr = blk->data + blk->used;
    blk->used += size;
    blk->nalloc++;
    blk->offs[blk->nalloc] = (uint16_t)blk->used;
    *hid = ((b->count - 1) << 16) | (blk->nalloc << 5);
    return PST_OK;
}

static uint8_t *hn_ptr(struct hn_builder *b, uint32_t hid)
{
    struct hn_block *blk = b->blocks[hid >> 16];

    return blk->data + blk->offs[((hid >> 5) & 0x7ff) - 1];
}

static unsigned int fill_level(unsigned int free_bytes)
{
    static const unsigned int limits[] = {3584, 2560, 2048, 1792, 1536, 1280, 1024, 768, 512, 256, 128, 64, 32, 16, 8};
    unsigned int i;

    for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
        if (free_bytes >= limits[i]) return i;
    return 15;
}

/* Writes a block's page map; returns the block's size. */
static unsigned int hn_block_seal(struct hn_block *blk)
{
    unsigned int map = blk->used + (blk->used & 1), k;
    uint8_t *d = blk->data;

    if (blk->sealed) return blk->sealed;
    if (map != blk->used) d[blk->used] = 0;   /* the padding byte */
    d[0] = (uint8_t)map;
    d[1] = (uint8_t)(map >> 8);
    d[map] = (uint8_t)blk->nalloc;
    d[map + 1] = (uint8_t)(blk->nalloc >> 8);
    d[map + 2] = d[map + 3] = 0;
    for (k = 0; k <= blk->nalloc; k++)
    {
        d[map + 4 + 2 * k] = (uint8_t)blk->offs[k];
        d[map + 5 + 2 * k] = (uint8_t)(blk->offs[k] >> 8);
    }
    return map + 4 + 2 * (blk->nalloc + 1);
}

/* Finishes the blocks: page maps, headers and fill levels; hands them to out
 * (a snapshot's sealed blocks are lent, see pst_wnode_out.borrowed). */
static int hn_finish(struct hn_builder *b, struct pst_wnode_out *out)
{
    uint32_t i;

    if (!b->count)
    {
        int ret = hn_new_block(b);

        if (ret) return ret;
    }
    if (!(out->blocks = pst_zalloc(b->file, b->count * sizeof(*out->blocks)))
            || !(out->sizes = pst_zalloc(b->file, b->count * sizeof(*out->sizes)))
            || !(out->borrowed = pst_zalloc(b->file, b->count)))
        return PST_E_NOMEM;
    for (i = 0; i < b->count; i++) out->sizes[i] = hn_block_seal(b->blocks[i]);
    /* fill levels: block 0 covers blocks 0-7, bitmap blocks the next 128 */
    for (i = 0; i < b->count; i++)
    {
        unsigned int level = fill_level(HN_BLOCK - out->sizes[i]);
        uint8_t *at;
        unsigned int slot;

        if (i < 8)
        {
            at = b->blocks[0]->data + 8;
            slot = i;
        }
        else
        {
            /* a sealed bitmap block has its levels */
            if (b->blocks[8 + (i - 8) / 128 * 128]->sealed) continue;
            at = b->blocks[8 + (i - 8) / 128 * 128]->data + 2;
            slot = (i - 8) % 128;
        }
        at[slot / 2] |= (uint8_t)(level << (4 * (slot % 2)));
    }
    b->blocks[0]->data[2] = 0xec;
    b->blocks[0]->data[3] = b->client_sig;
    pst_wr32(b->blocks[0]->data + 4, b->user_root);
    for (i = 0; i < b->count; i++)
    {
        out->blocks[i] = b->blocks[i]->data;
        if ((out->borrowed[i] = !!b->blocks[i]->sealed)) continue;
        b->blocks[i]->data = NULL;
        pst_free(b->file, b->blocks[i]);
    }
    out->nblocks = b->count;
    pst_free(b->file, b->blocks);
    b->blocks = NULL;
    b->count = 0;
    return PST_OK;
}

void pst_wnode_out_free(struct pst_file *file, struct pst_wnode_out *out)
{
    uint32_t i;

    for (i = 0; i < out->nblocks; i++)
        if (out->blocks && !(out->borrowed && out->borrowed[i])) pst_free(file, out->blocks[i]);
    pst_free(file, out->blocks);
    pst_free(file, out->sizes);
    pst_free(file, out->borrowed);
    pst_free(file, out->subs);
    memset(out, 0, sizeof(*out));
}

static int out_add_sub(struct pst_file *file, struct pst_wnode_out *out, uint32_t nid, uint64_t bid)
{
    if (out->nsubs == out->cap_subs)
    {
        uint32_t cap = out->cap_subs ? out->cap_subs * 2 : 8;
        struct pst_subnode *s = pst_realloc(file, out->subs, cap * sizeof(*s));

        if (!s) return PST_E_NOMEM;
        out->subs = s;
        out->cap_subs = cap;
    }
    out->subs[out->nsubs].nid = nid;
    out->subs[out->nsubs].bid_data = bid;
    out->subs[out->nsubs].bid_sub = 0;
    out->nsubs++;
    return PST_OK;
}

/* A variable-size value: 0 if empty, a HID up to 3580 bytes, else a subnode. */
static int store_value(struct pst_file *file, struct hn_builder *b, struct pst_wnode_out *out, uint32_t *sub_index,
                       const uint8_t *data, size_t size, int dry, uint32_t *hnid)
{
    uint8_t *p;
    uint64_t bid;
    int ret;

    if (!size)
    {
        *hnid = 0;
        return PST_OK;
    }
    if (size <= HN_MAX_ALLOC)
    {
        if ((ret = hn_alloc(b, (unsigned int)size, hnid, &p))) return ret;
        memcpy(p, data, size);
        return PST_OK;
    }
    *hnid = PST_NID_MAKE((*sub_index)++, PST_NID_TYPE_LTP);
    if (dry) return PST_OK;   /* measuring only: nothing may be written */
    if ((ret = pst_w_stream_write(file, data, size, &bid))) return ret;
    return out_add_sub(file, out, *hnid, bid);
}

/* BTH over sorted records; fills the 8-byte header at hdr. */
static int bth_build(struct hn_builder *b, uint8_t cb_key, uint8_t cb_ent, const uint8_t *recs, uint32_t count,
                     uint8_t *hdr, uint32_t first_hid)
{
    uint8_t *level_recs = NULL, *next = NULL;
    unsigned int rec = cb_key + cb_ent, levels = 0;
    uint32_t n = count, i, hid_root = 0;
    int ret = PST_OK;

    if (count)
    {
        const uint8_t *cur = recs;

        for (;;)
        {
            unsigned int per = HN_MAX_ALLOC / rec;
            uint32_t nalloc = (n + per - 1) / per;
            uint8_t *p;

            if (nalloc == 1 && first_hid && !levels)
            {
                /* the leaf allocation reserved up front (HID 0x40 / 0x60) */
                hid_root = first_hid;
                memcpy(hn_ptr(b, first_hid), cur, (size_t)n * rec);
                break;
            }
            if (!(next = pst_alloc(b->file, (size_t)nalloc * (cb_key + 4))))
            {
                ret = PST_E_NOMEM;
                break;
            }
            for (i = 0; i < nalloc && !ret; i++)
            {
                uint32_t m = n - i * per < per ? n - i * per : per, hid;

                if ((ret = hn_alloc(b, m * rec, &hid, &p))) break;
                memcpy(p, cur + (size_t)i * per * rec, (size_t)m * rec);
                memcpy(next + (size_t)i * (cb_key + 4), cur + (size_t)i * per * rec, cb_key);
                pst_wr32(next + (size_t)i * (cb_key + 4) + cb_key, hid);
                hid_root = hid;
            }
            if (ret) break;
            if (nalloc == 1) break;
            pst_free(b->file, level_recs);
            level_recs = next;
            next = NULL;
            cur = level_recs;
            n = nalloc;
            rec = cb_key + 4;
            levels++;
        }
    }
    pst_free(b->file, level_recs);
    pst_free(b->file, next);
    if (ret) return ret;
    hdr[0] = 0xb5;
    hdr[1] = cb_key;
    hdr[2] = cb_ent;
    hdr[3] = (uint8_t)levels;
    pst_wr32(hdr + 4, hid_root);
    return PST_OK;
}

int pst_w_pc_build(struct pst_file *file, const struct pst_wprops *props, uint32_t sub_base, int dry,
                   struct pst_wnode_out *out)
{
    struct hn_builder b;
    uint8_t *recs = NULL, *hdr;
    uint32_t hdr_hid, first = 0, i, sub_index = sub_base;
    int ret;

    memset(out, 0, sizeof(*out));
    memset(&b, 0, sizeof(b));
    b.file = file;
    b.client_sig = 0xbc;
    if ((ret = hn_alloc(&b, 8, &hdr_hid, &hdr))) goto done;
    if (props->count && props->count * 8 <= HN_MAX_ALLOC)
    {
        uint8_t *p;

        if ((ret = hn_alloc(&b, props->count * 8, &first, &p))) goto done;
    }
    if (props->count && !(recs = pst_alloc(file, props->count * 8)))
    {
        ret = PST_E_NOMEM;
        goto done;
    }
    for (i = 0; i < props->count && !ret; i++)
    {
        const struct pst_wprop *v = &props->v[i];
        uint16_t type = PST_PROP_TYPE(v->tag);
        unsigned int fixed = pst_type_fixed_size(type);
        uint32_t hnid = 0;

        if (fixed && fixed <= 4 && fixed != ~0u)
        {
            uint8_t tmp[4] = {0};

            memcpy(tmp, v->data, v->size < 4 ? v->size : 4);
            hnid = pst_rd32(tmp);
        }
        else ret = store_value(file, &b, out, &sub_index, v->data, v->size, dry, &hnid);
        recs[8 * i] = (uint8_t)PST_PROP_ID(v->tag);
        recs[8 * i + 1] = (uint8_t)(PST_PROP_ID(v->tag) >> 8);
        recs[8 * i + 2] = (uint8_t)type;
        recs[8 * i + 3] = (uint8_t)(type >> 8);
        pst_wr32(recs + 8 * i + 4, hnid);
    }
    if (!ret) ret = bth_build(&b, 2, 6, recs, props->count, hn_ptr(&b, hdr_hid), first);
    b.user_root = hdr_hid;
    if (!ret) ret = hn_finish(&b, out);
done:
    pst_free(file, recs);
    hn_free(&b);
    if (ret) pst_wnode_out_free(file, out);
    return ret;
}

static int row_cmp(const void *a, const void *b)
{
    uint32_t x = pst_rd32(a), y = pst_rd32(b);

    return x < y ? -1 : x > y;
}

int pst_w_tc_build(struct pst_file *file, const struct pst_wtable *t, struct pst_wnode_out *out)
{
    /* without a snapshot the table is only read */
    return pst_w_tc_build_reuse(file, (struct pst_wtable *)t, NULL, NULL, NULL, out);
}
/* A table of more than one row-index leaf whose rows are in ascending NID
 * order (ingest) is laid out the same way up to a row before its last one
 * as long as those rows do not change: the heap blocks, the matrix rows and
 * the HIDs of the leaves allocated at that point (only full ones: a leaf
 * is allocated after its last row, and the last leaf is the only one that
 * may not be full) are kept, and the next layout continues from there (the
 * table's clean count says whether it may).  The point moves on every
 * SNAP_STEP rows, so that a layout redoes fewer than SNAP_STEP + 1 rows
 * while copying the kept state once per SNAP_STEP rows appended. */
#define SNAP_STEP 64
struct pst_wtc_snap
{
    uint32_t rows;                /* rows laid out */
    uint32_t ncols, rowsize;
    struct hn_block **blocks;     /* all but the last and those hn_finish changes are sealed */
    uint32_t count;
    uint32_t matrix_base;         /* the first row of the matrix block the layout ends in */
    uint8_t *matrix;              /* rows [matrix_base, rows): the blocks before are only referenced */
    uint32_t leaves;              /* index leaves allocated: 0 .. leaves - 1 */
    uint32_t *leaf_hids;
};

void pst_wtc_snap_free(struct pst_file *file, struct pst_wtc_snap **snap)
{
    uint32_t i;

    if (!snap || !*snap) return;
    for (i = 0; i < (*snap)->count; i++)
    {
        if (!(*snap)->blocks || !(*snap)->blocks[i]) continue;
        pst_free(file, (*snap)->blocks[i]->data);
        pst_free(file, (*snap)->blocks[i]);
    }
    pst_free(file, (*snap)->blocks);
    pst_free(file, (*snap)->matrix);
    pst_free(file, (*snap)->leaf_hids);
    pst_free(file, *snap);
    *snap = NULL;
}

static struct hn_block *hn_block_dup(struct pst_file *file, const struct hn_block *src)
{
    struct hn_block *blk;

    if (!(blk = pst_alloc(file, sizeof(*blk)))) return NULL;
    *blk = *src;
    /* not zeroed: what lies past used is written by hn_alloc's callers and
     * hn_finish before it is read */
    if (!(blk->data = pst_alloc(file, HN_BLOCK)))
    {
        pst_free(file, blk);
        return NULL;
    }
    memcpy(blk->data, src->data, blk->used);
    file->writer->stats.heap_bytes_copied += blk->used;
    return blk;
}

/* A block no allocation will go to any more (not the last one) and that
 * hn_finish leaves alone is sealed in the snapshot: builders then borrow it
 * instead of copying it, and the new snapshot takes it over from the old
 * one (old: the snapshot the builder started from, or NULL).  The matrix
 * keeps only the rows after the last full matrix block (matrix holds rows
 * [base, rows)).  Out of memory only loses the snapshot. */
static void snap_take(struct pst_file *file, struct pst_wtc_snap **snap, struct pst_wtc_snap *old,
                      const struct hn_builder *b, uint32_t base, const uint8_t *matrix, uint32_t rows, uint32_t ncols,
                      uint32_t rowsize, const uint32_t *hids, uint32_t leaves)
{
    struct pst_wtc_snap *s;
    uint32_t i, per_block = HN_BLOCK / rowsize;

    pst_wtc_snap_free(file, snap);
    if (!(s = pst_zalloc(file, sizeof(*s)))) return;
    *snap = s;
    s->rows = rows;
    s->ncols = ncols;
    s->rowsize = rowsize;
    s->leaves = leaves;
    s->matrix_base = rows / per_block * per_block;
    if (!(s->blocks = pst_zalloc(file, b->count * sizeof(*s->blocks)))
            || !(s->matrix = pst_alloc(file, (size_t)(rows - s->matrix_base) * rowsize + 1))
            || !(s->leaf_hids = pst_alloc(file, leaves * sizeof(*s->leaf_hids))))
    {
        pst_wtc_snap_free(file, snap);
        return;
    }
    s->count = b->count;
    for (i = 0; i < b->count; i++)
    {
        struct hn_block *blk = b->blocks[i];

        if (blk->sealed)
        {
            /* the old snapshot's: it is freed without it */
            s->blocks[i] = blk;
            if (old && i < old->count && old->blocks[i] == blk) old->blocks[i] = NULL;
            continue;
        }
        if (!(s->blocks[i] = hn_block_dup(file, blk)))
        {
            pst_wtc_snap_free(file, snap);
            return;
        }
        if (i + 1 < b->count && !pst_w_heap_block_variable(i)) s->blocks[i]->sealed = hn_block_seal(s->blocks[i]);
    }
    /* a fill-level bitmap block whose blocks are all sealed has its final
     * fill levels: it is sealed with them (hn_finish leaves it alone) */
    for (i = 8; i + 128 < b->count; i += 128)
    {
        struct hn_block *map = s->blocks[i];
        uint32_t j;

        if (map->sealed) continue;
        map->sealed = hn_block_seal(map);
        for (j = i; j < i + 128; j++)
            map->data[2 + (j - i) / 2] |= (uint8_t)(fill_level(HN_BLOCK - s->blocks[j]->sealed) << (4 * ((j - i) % 2)));
    }
    /* This build writes the blocks from its own copies; later builds
     * reference them again (pst_w_tc_build_reuse checks that they can), so
     * only the size of a sealed block is kept, and of its head only what
     * the builder looks at. */
    for (i = 0; i < b->count; i++)
    {
        struct hn_block *sealed;

        if (!s->blocks[i]->sealed || !s->blocks[i]->data) continue;
        pst_free(file, s->blocks[i]->data);
        s->blocks[i]->data = NULL;
        if ((sealed = pst_alloc(file, offsetof(struct hn_block, offs))))
        {
            memcpy(sealed, s->blocks[i], offsetof(struct hn_block, offs));
            pst_free(file, s->blocks[i]);
            s->blocks[i] = sealed;
        }
    }
    memcpy(s->matrix, matrix + (size_t)(s->matrix_base - base) * rowsize, (size_t)(rows - s->matrix_base) * rowsize);
    memcpy(s->leaf_hids, hids, leaves * sizeof(*hids));
}

static int snap_restore(struct hn_builder *b, const struct pst_wtc_snap *s)
{
    uint32_t i;

    if (!(b->blocks = pst_zalloc(b->file, s->count * sizeof(*b->blocks)))) return PST_E_NOMEM;
    b->cap = s->count;
    for (i = 0; i < s->count; i++)
    {
        if (s->blocks[i]->sealed) b->blocks[i] = s->blocks[i];
        else if (!(b->blocks[i] = hn_block_dup(b->file, s->blocks[i]))) return PST_E_NOMEM;
        b->count++;
    }
    return PST_OK;
}


struct leaf_order
{
    uint32_t last_row;            /* highest matrix position among the leaf's rows */
    uint32_t leaf;
};

static int leaf_order_cmp(const void *a, const void *b)
{
    const struct leaf_order *x = a, *y = b;

    if (x->last_row != y->last_row) return x->last_row < y->last_row ? -1 : 1;
    return x->leaf < y->leaf ? -1 : x->leaf > y->leaf;
}

/* A row index of more than one allocation: its leaves are allocated among
 * the row values, each right after the values of the last row (in matrix
 * order) it indexes, instead of all after the values.  Rows appended to a
 * table (ascending NIDs: new messages) then leave the heap blocks before
 * them unchanged, so a rewrite reuses those blocks (pst_w_leaves_write_reuse)
 * and writes only the tail. */
struct index_plan
{
    struct leaf_order *order;
    uint32_t *hids;
    uint32_t nleaves, per, next;
    uint32_t ibase;               /* the index array starts at this row (sorted only) */
};

static int index_plan_init(struct pst_file *file, struct index_plan *plan, const uint8_t *index, uint32_t nrows,
                           int sorted)
{
    uint32_t i;

    memset(plan, 0, sizeof(*plan));
    plan->per = HN_MAX_ALLOC / 8;
    plan->nleaves = (nrows + plan->per - 1) / plan->per;
    if (!(plan->order = pst_alloc(file, plan->nleaves * sizeof(*plan->order)))
            || !(plan->hids = pst_alloc(file, plan->nleaves * sizeof(*plan->hids))))
        return PST_E_NOMEM;
    for (i = 0; i < plan->nleaves; i++)
    {
        plan->order[i].leaf = i;
        /* rows in matrix order: a leaf's last row is its last position */
        plan->order[i].last_row = sorted ? ((i + 1) * plan->per < nrows ? (i + 1) * plan->per : nrows) - 1 : 0;
    }
    if (sorted) return PST_OK;
    for (i = 0; i < nrows; i++)
    {
        struct leaf_order *o = &plan->order[i / plan->per];
        uint32_t pos = pst_rd32(index + 8 * i + 4);

        if (pos > o->last_row) o->last_row = pos;
    }
    qsort(plan->order, plan->nleaves, sizeof(*plan->order), leaf_order_cmp);
    return PST_OK;
}

/* Allocates the leaves due after row (all remaining ones for ~0u). */
static int index_plan_emit(struct hn_builder *b, struct index_plan *plan, const uint8_t *index, uint32_t nrows,
                           uint32_t row)
{
    while (plan->next < plan->nleaves && (row == ~0u || plan->order[plan->next].last_row <= row))
    {
        uint32_t leaf = plan->order[plan->next].leaf, first = leaf * plan->per;
        uint32_t m = nrows - first < plan->per ? nrows - first : plan->per;
        uint8_t *p;
        int ret;

        if ((ret = hn_alloc(b, m * 8, &plan->hids[leaf], &p))) return ret;
        memcpy(p, index + (size_t)(first - plan->ibase) * 8, (size_t)m * 8);
        plan->next++;
    }
    return PST_OK;
}

/* The BTH header over the allocated leaves: the upper levels are a BTH of
 * (key, HID) records, one level deeper. */
static int index_plan_finish(struct hn_builder *b, struct index_plan *plan, const uint8_t *index,
                             const struct pst_wtable *t, uint32_t hdr_hid)
{
    uint8_t *recs;
    uint32_t i;
    int ret;

    if (!(recs = pst_alloc(b->file, (size_t)plan->nleaves * 8))) return PST_E_NOMEM;
    for (i = 0; i < plan->nleaves; i++)
    {
        uint32_t row = i * plan->per;

        /* below ibase, sorted: row i holds the i-th key */
        if (row < plan->ibase) pst_wr32(recs + 8 * i, t->rows[row].id);
        else memcpy(recs + 8 * i, index + (size_t)(row - plan->ibase) * 8, 4);
        pst_wr32(recs + 8 * i + 4, plan->hids[i]);
    }
    ret = bth_build(b, 4, 4, recs, plan->nleaves, hn_ptr(b, hdr_hid), 0);
    pst_free(b->file, recs);
    if (ret) return ret;
    hn_ptr(b, hdr_hid)[3]++;
    return PST_OK;
}

static void index_plan_free(struct pst_file *file, struct index_plan *plan)
{
    pst_free(file, plan->order);
    pst_free(file, plan->hids);
}

/* Whether the heap blocks a snapshot sealed are still the leaves of the
 * heap last written (their bytes are not kept). */
static int snap_heap_reusable(struct pst_file *file, const struct pst_wtc_snap *s, const struct pst_wleaves *heap_prev)
{
    uint32_t i;

    if (!heap_prev || !pst_w_leaves_live(file, heap_prev)) return 0;
    for (i = 0; i < s->count; i++)
        if (s->blocks[i]->sealed && (i >= heap_prev->count || heap_prev->v[i].size != s->blocks[i]->sealed)) return 0;
    return 1;
}

int pst_w_tc_build_reuse(struct pst_file *file, struct pst_wtable *t, struct pst_wleaves *matrix_prev,
                         struct pst_wleaves *heap_prev, struct pst_wtc_snap **snap, struct pst_wnode_out *out)
{
    struct hn_builder b;
    struct index_plan plan;
    struct pst_wtc_snap *old = NULL;
    unsigned int ceb = (t->ncols + 7) / 8, rowsize = t->end1 + ceb, per_block = HN_BLOCK / rowsize;
    uint8_t *hdr, *info, *index = NULL, *matrix = NULL, *p;
    uint32_t hdr_hid, info_hid, first = 0, matrix_hid = 0, i, k, sub_index = 2, start = 0, snap_rows = 0, base = 0;
    uint64_t matrix_size = (uint64_t)t->nrows * rowsize;
    int ret, planned = 0, sorted;

    memset(out, 0, sizeof(*out));
    memset(&plan, 0, sizeof(plan));
    memset(&b, 0, sizeof(b));
    b.file = file;
    b.client_sig = 0x7c;
    /* the rows a usable snapshot covers were in order and are unchanged */
    i = snap && *snap && (*snap)->rows <= t->clean && (*snap)->rows <= t->nrows ? (*snap)->rows : 1;
    for (i = i ? i : 1; i < t->nrows && t->rows[i - 1].id < t->rows[i].id; i++) ;
    sorted = i >= t->nrows;
    /* The matrix blocks before the snapshot's last one are only referenced
     * again (their bytes are not kept): they must still be there. */
    if (snap && *snap && (!sorted || t->nrows * 8 <= HN_MAX_ALLOC || (*snap)->rows > t->clean
            || (*snap)->rows > t->nrows || (*snap)->ncols != t->ncols || (*snap)->rowsize != rowsize
            || !pst_w_leaves_reusable(file, matrix_prev, (*snap)->rows / per_block, per_block * rowsize)
            || !snap_heap_reusable(file, *snap, heap_prev)))
        pst_wtc_snap_free(file, snap);
    /* rows laid out below need their cells */
    if (t->dry_end > (snap && *snap ? (*snap)->rows : 0) && (ret = pst_wtable_hydrate(file, t))) return ret;
    if (snap && *snap)
    {
        /* The layout so far is the snapshot's (the same first steps below).
         * It is also what the previous build laid out (a build that does
         * not keep the snapshot takes a new one from its own layout, or
         * drops it), so the matrix blocks below base rows and the heap
         * blocks before the snapshot's last one are the bytes of the
         * previous build's, apart from what hn_finish changes (block 0
         * and the fill-level bitmap blocks).  The snapshot stays aside
         * (old) until the end: the first matrix blocks are read from it. */
        old = *snap;
        *snap = NULL;
        if ((ret = snap_restore(&b, old))) goto done;
        hdr_hid = 0x20;
        info_hid = 0x40;
        start = old->rows;
        base = start / per_block * per_block;
        out->same_blocks = old->count - 1;
    }
    else
    {
        if ((ret = hn_alloc(&b, 8, &hdr_hid, &hdr))) goto done;
        if ((ret = hn_alloc(&b, 22 + 8 * t->ncols, &info_hid, &info))) goto done;
    }
    if (t->nrows && t->nrows * 8 <= HN_MAX_ALLOC && (ret = hn_alloc(&b, t->nrows * 8, &first, &p))) goto done;
    if (matrix_size && matrix_size <= HN_MAX_ALLOC && (ret = hn_alloc(&b, (unsigned int)matrix_size, &matrix_hid, &p)))
        goto done;
    /* matrix holds rows [base, nrows): the blocks before are the snapshot's */
    /* Sorted over a snapshot, the entries of its leaves are not needed (the
     * first keys index_plan_finish wants are the rows' ids): index holds
     * rows [k, nrows). */
    k = sorted && old ? old->leaves * (HN_MAX_ALLOC / 8) : 0;
    if (t->nrows && (!(index = pst_alloc(file, (t->nrows - k) * 8 + 1))
            || !(matrix = pst_alloc(file, (size_t)(matrix_size - (uint64_t)base * rowsize) + 1))))
    {
        ret = PST_E_NOMEM;
        goto done;
    }
    /* the rows laid out below start zeroed; those of a snapshot are copied */
    if (matrix) memset(matrix + (size_t)(start - base) * rowsize, 0, (size_t)(matrix_size - (uint64_t)start * rowsize));
    for (i = k; i < t->nrows; i++)
    {
        pst_wr32(index + 8 * (i - k), t->rows[i].id);
        pst_wr32(index + 8 * (i - k) + 4, i);
    }
    /* rows appended with ascending NIDs (new messages) are already sorted */
    if (!sorted) qsort(index, t->nrows, 8, row_cmp);
    if (t->nrows && !first)
    {
        if ((ret = index_plan_init(file, &plan, index, t->nrows, sorted))) goto done;
        plan.ibase = k;
        planned = 1;
        if (start)
        {
            /* sorted: the first leaves are the snapshot's, in order */
            memcpy(plan.hids, old->leaf_hids, old->leaves * sizeof(*plan.hids));
            plan.next = old->leaves;
            memcpy(matrix, old->matrix, (size_t)(start - base) * rowsize);
        }
        /* Block 0 changes at every rewrite (the BTH root, fill levels):
         * keep the row values out of it so that it stays small. */
        else if (!matrix_hid && (ret = hn_new_block(&b))) goto done;
        if (snap && sorted && !matrix_hid) snap_rows = (t->nrows - 1) / SNAP_STEP * SNAP_STEP;
    }
    for (i = start; i < t->nrows && !ret; i++)
    {
        const struct pst_wrow *row = &t->rows[i];
        uint8_t *r = matrix + (size_t)(i - base) * rowsize;

        for (k = 0; k < t->ncols && !ret; k++)
        {
            const struct pst_column *c = &t->cols[k];
            const struct pst_wprop *cell = &row->cells[k];
            uint32_t hnid;

            if (c->tag == PST_PR_LTP_ROW_ID) pst_wr32(r + c->offset, row->id);
            else if (c->tag == PST_PR_LTP_ROW_VER) pst_wr32(r + c->offset, row->ver);
            else if (!cell->tag) continue;
            else if (pst_type_fixed_size(PST_PROP_TYPE(c->tag)) == c->size && c->size <= 8)
                memcpy(r + c->offset, cell->data, cell->size < c->size ? cell->size : c->size);
            else
            {
                if ((ret = store_value(file, &b, out, &sub_index, cell->data, cell->size, 0, &hnid))) break;
                pst_wr32(r + c->offset, hnid);
            }
            r[t->end1 + c->bit / 8] |= 0x80 >> (c->bit % 8);
        }
        if (!ret && planned) ret = index_plan_emit(&b, &plan, index, t->nrows, i);
        if (!ret && i + 1 == snap_rows && snap_rows > start && !out->nsubs)
            snap_take(file, snap, old, &b, base, matrix, snap_rows, t->ncols, rowsize, plan.hids,
                      snap_rows / plan.per);
    }
    if (!ret && planned) ret = index_plan_emit(&b, &plan, index, t->nrows, ~0u);
    if (ret) goto done;
    if (matrix_hid) memcpy(hn_ptr(&b, matrix_hid), matrix, (size_t)matrix_size);
    else if (matrix_size)
    {
        /* row matrix subnode: whole rows per block */
        uint32_t nblk = (t->nrows + per_block - 1) / per_block, *sizes;
        uint8_t **bufs;
        uint64_t bid;

        bufs = pst_alloc(file, nblk * sizeof(*bufs));
        sizes = pst_alloc(file, nblk * sizeof(*sizes));
        if (!bufs || !sizes) ret = PST_E_NOMEM;
        else
        {
            for (i = 0; i < nblk; i++)
            {
                uint32_t rows = t->nrows - i * per_block < per_block ? t->nrows - i * per_block : per_block;

                /* the blocks before base are known to be reusable (checked below) */
                if (i * per_block < base) bufs[i] = NULL;
                else bufs[i] = matrix + (size_t)(i * per_block - base) * rowsize;
                sizes[i] = rows * rowsize;
            }
            ret = pst_w_leaves_write_known(file, bufs, sizes, nblk, matrix_prev, base / per_block, NULL, &bid);
            matrix_hid = PST_NID_MAKE(1, PST_NID_TYPE_LTP);
            if (!ret) ret = out_add_sub(file, out, matrix_hid, bid);
        }
        pst_free(file, bufs);
        pst_free(file, sizes);
        if (ret) goto done;
    }
    if (planned) ret = index_plan_finish(&b, &plan, index, t, hdr_hid);
    else ret = bth_build(&b, 4, 4, index, t->nrows, hn_ptr(&b, hdr_hid), first);
    if (ret) goto done;
    info = hn_ptr(&b, info_hid);
    info[0] = 0x7c;
    info[1] = (uint8_t)t->ncols;
    info[2] = (uint8_t)t->end4;
    info[3] = (uint8_t)(t->end4 >> 8);
    info[4] = (uint8_t)t->end2;
    info[5] = (uint8_t)(t->end2 >> 8);
    info[6] = (uint8_t)t->end1;
    info[7] = (uint8_t)(t->end1 >> 8);
    info[8] = (uint8_t)rowsize;
    info[9] = (uint8_t)(rowsize >> 8);
    pst_wr32(info + 10, hdr_hid);
    pst_wr32(info + 14, matrix_hid);
    pst_wr32(info + 18, 0);
    for (k = 0; k < t->ncols; k++)
    {
        uint8_t *c = info + 22 + 8 * k;

        pst_wr32(c, t->cols[k].tag);
        c[4] = (uint8_t)t->cols[k].offset;
        c[5] = (uint8_t)(t->cols[k].offset >> 8);
        c[6] = t->cols[k].size;
        c[7] = t->cols[k].bit;
    }
    b.user_root = info_hid;
    ret = hn_finish(&b, out);
    if (!ret && snap) t->clean = t->nrows;
    /* the rows a snapshot covers are not laid out again: drop their cells */
    if (!ret && snap && t->nid)
    {
        struct pst_wtc_snap *s = *snap ? *snap : old;

        for (i = t->dry_end; s && i < s->rows && i < t->nrows; i++)
        {
            for (k = 0; k < t->ncols && t->rows[i].cells; k++) pst_free(file, t->rows[i].cells[k].data);
            pst_free(file, t->rows[i].cells);
            t->rows[i].cells = NULL;
        }
        if (s && i > t->dry_end) t->dry_end = i;
    }
done:
    /* no new snapshot taken: the old one still describes this layout */
    if (snap && !*snap) *snap = old;
    else pst_wtc_snap_free(file, &old);
    index_plan_free(file, &plan);
    pst_free(file, index);
    pst_free(file, matrix);
    hn_free(&b);
    if (ret) pst_wnode_out_free(file, out);
    return ret;
}

int pst_w_node_write(struct pst_file *file, struct pst_wnode_out *out, const struct pst_subnode *extra,
                     uint32_t nextra, uint64_t *bid_data, uint64_t *bid_sub)
{
    return pst_w_node_write_reuse(file, out, extra, nextra, NULL, bid_data, bid_sub);
}

int pst_w_node_write_reuse(struct pst_file *file, struct pst_wnode_out *out, const struct pst_subnode *extra,
                           uint32_t nextra, struct pst_wleaves *heap_prev, uint64_t *bid_data, uint64_t *bid_sub)
{
    struct pst_subnode *all;
    uint32_t n = out->nsubs + nextra;
    int ret;

    *bid_data = *bid_sub = 0;
    if ((ret = pst_w_leaves_write_known(file, out->blocks, out->sizes, out->nblocks, heap_prev, out->same_blocks, out->borrowed,
                                        bid_data)))
        return ret;
    if (!n) return PST_OK;
    if (!(all = pst_alloc(file, n * sizeof(*all)))) return PST_E_NOMEM;
    if (out->nsubs) memcpy(all, out->subs, out->nsubs * sizeof(*all));
    if (nextra) memcpy(all + out->nsubs, extra, nextra * sizeof(*all));
    ret = pst_w_subtree_write(file, all, n, bid_sub);
    pst_free(file, all);
    return ret;
}
