/*
 * PST engine: lists, tables and properties (HN, BTH, PC, TC)
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * FORMAT ([MS-PST] 2.3)
 *   HN block 0: HNHDR ibHnpm(2) bSig 0xEC bClientSig hidUserRoot(4) fill(4)
 *   block n % 128 == 8: HNBITMAPHDR ibHnpm(2) fill(64); others ibHnpm(2)
 *   HNPAGEMAP at ibHnpm: cAlloc(2) cFree(2) rgibAlloc[cAlloc + 1]
 *   HID: type(5 bits, 0) index(11 bits, 1-based) block(16 bits)
 *   BTHHEADER: bType 0xB5 cbKey cbEnt bIdxLevels hidRoot(4)
 *   PC: BTH (cbKey 2, cbEnt 6) of wPropId -> wPropType dwValueHnid
 *   TCINFO: bType 0x7C cCols rgib[4](2 each) hidRowIndex hnidRows hidIndex
 *           TCOLDESC[cCols] = tag(4) ibData(2) cbData(1) iBit(1)
 *   Row: fixed cells (8/4-byte, 2-byte, 1-byte groups), then the cell
 *   existence bitmap (MSB first) from rgib[TCI_1b] to rgib[TCI_bm].
 *   Row matrices in a subnode never let a row straddle a block.
 */

#include <stdlib.h>

#include "pst_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(pst);

static const uint8_t empty_value[1];

/* ------------------------------------------------------------------ HN -- */

/* Reads block i of the heap and checks its header and page map, so that
 * pst_hn_get can trust it. */
static int hn_block_load(struct pst_hn *hn, uint32_t i)
{
    struct pst_file *file = hn->file;
    unsigned int hdr = !i ? 12 : (i % 128 == 8 ? 66 : 2), ib_map, c_alloc, k;
    uint8_t *b;
    size_t size;
    int ret;

    if ((ret = pst_block_read(file, hn->bids[i], &b, &size))) return ret;
    if (size != hn->sizes[i])
        ret = pst_error(file, PST_E_CORRUPT, "node %#x heap block %u changed size", hn->nid, i);
    else if (size < hdr + 4)
        ret = pst_error(file, PST_E_CORRUPT, "heap block %u of node %#x is too small", i, hn->nid);
    else if (!i && b[2] != 0xec)
        ret = pst_error(file, PST_E_CORRUPT, "node %#x: heap signature %#x is not 0xEC", hn->nid, b[2]);
    if (ret) goto fail;
    ib_map = pst_rd16(b);
    if (ib_map < hdr || ib_map + 4 > size)
    {
        ret = pst_error(file, PST_E_CORRUPT, "node %#x heap block %u: page map offset %u out of range",
                        hn->nid, i, ib_map);
        goto fail;
    }
    c_alloc = pst_rd16(b + ib_map);
    if (ib_map + 4 + (size_t)(c_alloc + 1) * 2 > size || c_alloc > 0x7ff)
    {
        ret = pst_error(file, PST_E_CORRUPT, "node %#x heap block %u: %u allocations do not fit",
                        hn->nid, i, c_alloc);
        goto fail;
    }
    for (k = 0; k <= c_alloc; k++)
    {
        unsigned int off = pst_rd16(b + ib_map + 4 + 2 * k);
        unsigned int prev = k ? pst_rd16(b + ib_map + 2 + 2 * k) : hdr;

        if (off < prev || off > ib_map)
        {
            ret = pst_error(file, PST_E_CORRUPT, "node %#x heap block %u: allocation %u offset %u is invalid",
                            hn->nid, i, k, off);
            goto fail;
        }
    }
    hn->blocks[i] = b;
    return PST_OK;

fail:
    pst_free(file, b);
    return ret;
}

int pst_hn_open(struct pst_file *file, uint64_t bid_data, uint32_t nid, struct pst_hn *hn)
{
    struct pst_dtree tree;
    int ret;

    memset(hn, 0, sizeof(*hn));
    hn->file = file;
    hn->nid = nid;
    if ((ret = pst_dtree_load(file, bid_data, &tree))) return ret;
    if (!tree.count)
    {
        pst_dtree_free(file, &tree);
        return pst_error(file, PST_E_CORRUPT, "node %#x has no data for its heap", nid);
    }
    if (tree.count > 0x10000)
    {
        pst_dtree_free(file, &tree);
        return pst_error(file, PST_E_CORRUPT, "heap of node %#x has %u blocks", nid, tree.count);
    }
    if (!(hn->blocks = pst_zalloc(file, tree.count * sizeof(*hn->blocks))))
    {
        pst_dtree_free(file, &tree);
        return PST_E_NOMEM;
    }
    /* The data tree's arrays become the heap's. */
    hn->count = tree.count;
    hn->bids = tree.bids;
    hn->sizes = tree.sizes;
    tree.bids = NULL;
    tree.sizes = NULL;
    pst_dtree_free(file, &tree);
    if ((ret = hn_block_load(hn, 0)))
    {
        pst_hn_free(hn);
        return ret;
    }
    hn->client_sig = hn->blocks[0][3];
    hn->hid_user_root = pst_rd32(hn->blocks[0] + 4);
    return PST_OK;
}

int pst_hn_load(struct pst_file *file, uint64_t bid_data, uint32_t nid, struct pst_hn *hn)
{
    uint32_t i;
    int ret;

    if ((ret = pst_hn_open(file, bid_data, nid, hn))) return ret;
    for (i = 1; i < hn->count; i++)
    {
        if ((ret = hn_block_load(hn, i)))
        {
            pst_hn_free(hn);
            return ret;
        }
    }
    return PST_OK;
}

int pst_hn_get(struct pst_hn *hn, uint32_t hid, const uint8_t **data, size_t *size)
{
    unsigned int index = (hid >> 5) & 0x7ff, block = hid >> 16, ib_map, c_alloc, start, end;
    const uint8_t *b;
    int ret;

    if ((hid & 0x1f) || !index || block >= hn->count)
        return pst_error(hn->file, PST_E_CORRUPT, "invalid heap id %#x", hid);
    if (!hn->blocks[block] && (ret = hn_block_load(hn, block))) return ret;
    b = hn->blocks[block];
    ib_map = pst_rd16(b);
    c_alloc = pst_rd16(b + ib_map);
    if (index > c_alloc)
        return pst_error(hn->file, PST_E_CORRUPT, "heap id %#x is beyond the %u allocations of its block",
                         hid, c_alloc);
    start = pst_rd16(b + ib_map + 4 + 2 * (index - 1));
    end = pst_rd16(b + ib_map + 4 + 2 * index);
    *data = b + start;
    *size = end - start;
    return PST_OK;
}

void pst_hn_free(struct pst_hn *hn)
{
    uint32_t i;

    if (!hn->file) return;
    if (hn->blocks)
        for (i = 0; i < hn->count; i++) pst_free(hn->file, hn->blocks[i]);
    pst_free(hn->file, hn->blocks);
    pst_free(hn->file, hn->sizes);
    pst_free(hn->file, hn->bids);
    hn->blocks = NULL;
    hn->sizes = NULL;
    hn->bids = NULL;
    hn->count = 0;
}

/* ----------------------------------------------------------------- BTH -- */

int pst_bth_open(struct pst_hn *hn, uint32_t hid, struct pst_bth *bth)
{
    const uint8_t *h;
    size_t size;
    int ret;

    if ((ret = pst_hn_get(hn, hid, &h, &size))) return ret;
    if (size < 8 || h[0] != 0xb5 || (h[1] != 2 && h[1] != 4 && h[1] != 8 && h[1] != 16)
            || !h[2] || h[2] > 32 || h[3] > 8)
        return pst_error(hn->file, PST_E_CORRUPT, "heap id %#x is not a valid BTH header", hid);
    bth->hn = hn;
    bth->cb_key = h[1];
    bth->cb_ent = h[2];
    bth->levels = h[3];
    bth->hid_root = pst_rd32(h + 4);
    return PST_OK;
}

static int key_compare(const uint8_t *a, const uint8_t *b, unsigned int len)
{
    while (len--)
    {
        if (a[len] != b[len]) return a[len] < b[len] ? -1 : 1;
    }
    return 0;
}

struct bth_collect
{
    struct pst_bth *bth;
    uint8_t *out;
    uint32_t count;
    uint32_t capacity;
    uint32_t limit;
    uint64_t budget;    /* node visits plus entries left (see pst_bth_collect) */
};

static int bth_collect_level(struct bth_collect *c, uint32_t hid, unsigned int level)
{
    struct pst_bth *bth = c->bth;
    struct pst_file *file = bth->hn->file;
    unsigned int rec = level ? bth->cb_key + 4u : (unsigned int)bth->cb_key + bth->cb_ent, i, n;
    const uint8_t *d;
    size_t size;
    int ret;

    if ((ret = pst_hn_get(bth->hn, hid, &d, &size))) return ret;
    if (size % rec) return pst_error(file, PST_E_CORRUPT, "BTH node %#x size %u is not a multiple of %u",
                                     hid, (unsigned int)size, rec);
    n = (unsigned int)(size / rec);
    if (c->budget < 1 + (uint64_t)n)
        return pst_error(file, PST_E_CORRUPT, "BTH in heap id %#x visits more entries than its heap holds", hid);
    c->budget -= 1 + (uint64_t)n;
    for (i = 0; i < n; i++)
    {
        if (level)
        {
            if ((ret = bth_collect_level(c, pst_rd32(d + i * rec + bth->cb_key), level - 1))) return ret;
            continue;
        }
        if (c->count >= c->limit)
            return pst_error(file, PST_E_CORRUPT, "BTH has more records than its heap can hold");
        if (c->count && key_compare(c->out + (c->count - 1) * rec, d + i * rec, bth->cb_key) >= 0)
            return pst_error(file, PST_E_CORRUPT, "BTH keys out of order in heap id %#x", hid);
        if (c->count == c->capacity)
        {
            uint32_t cap = c->capacity ? c->capacity * 2 : 32;
            uint8_t *p;

            if (!(p = pst_realloc(file, c->out, (size_t)cap * rec))) return PST_E_NOMEM;
            c->out = p;
            c->capacity = cap;
        }
        memcpy(c->out + (size_t)c->count * rec, d + i * rec, rec);
        c->count++;
    }
    return PST_OK;
}

int pst_bth_collect(struct pst_bth *bth, uint8_t **records, uint32_t *count)
{
    struct bth_collect c;
    uint64_t heap = 0;
    uint32_t i;
    int ret;

    *records = NULL;
    *count = 0;
    if (!bth->hid_root) return PST_OK;
    for (i = 0; i < bth->hn->count; i++) heap += bth->hn->sizes[i];
    memset(&c, 0, sizeof(c));
    c.bth = bth;
    c.limit = (uint32_t)(heap / ((unsigned int)bth->cb_key + bth->cb_ent) + 1);
    /* Intermediate entries that all name the same child (or empty leaves)
     * never reach limit but multiply the work by the fan-out at every level.
     * In a real tree every node is its own allocation with at least one
     * entry of at least 6 bytes, so visits plus entries stay below heap / 3. */
    c.budget = heap / 2 + 16;
    if ((ret = bth_collect_level(&c, bth->hid_root, bth->levels)))
    {
        pst_free(bth->hn->file, c.out);
        return ret;
    }
    *records = c.out;
    *count = c.count;
    return PST_OK;
}

/* -------------------------------------------------------------- values -- */

unsigned int pst_type_fixed_size(uint16_t type)
{
    switch (type)
    {
    case PST_PT_I2: return 2;
    case PST_PT_LONG: case PST_PT_R4: case PST_PT_ERROR: return 4;
    case PST_PT_BOOLEAN: return 1;
    case PST_PT_DOUBLE: case PST_PT_CURRENCY: case PST_PT_APPTIME: case PST_PT_I8: case PST_PT_SYSTIME: return 8;
    case PST_PT_CLSID: return 16;
    case PST_PT_NULL: case PST_PT_UNSPECIFIED: return 0;
    case PST_PT_STRING8: case PST_PT_UNICODE: case PST_PT_BINARY: case PST_PT_OBJECT:
    case PST_PT_SVREID: case PST_PT_SRESTRICT: case PST_PT_ACTIONS:
        return 0;
    }
    if (type & PST_MV_FLAG) return 0;
    return ~0u;
}

/* Loads a subnode's whole data stream into a list node owned by *list. */
static int load_subnode_value(struct pst_file *file, uint64_t bid_sub, uint32_t nid, struct pst_loaded **list,
                              const uint8_t **data, size_t *size)
{
    struct pst_subnode sub;
    struct pst_dtree tree;
    struct pst_loaded *node;
    size_t got;
    int ret;

    if ((ret = pst_subnode_lookup(file, bid_sub, nid, &sub)))
    {
        if (ret == PST_E_NOT_FOUND)
            return pst_error(file, PST_E_CORRUPT, "value subnode %#x does not exist", nid);
        return ret;
    }
    if ((ret = pst_dtree_load(file, sub.bid_data, &tree))) return ret;
    if (tree.total > PST_MAX_VALUE_LOAD)
    {
        pst_dtree_free(file, &tree);
        return pst_error(file, PST_E_TOO_BIG, "value in subnode %#x has %llu bytes; stream it", nid,
                         (unsigned long long)tree.total);
    }
    if (!(node = pst_alloc(file, offsetof(struct pst_loaded, data) + (size_t)tree.total + 1)))
    {
        pst_dtree_free(file, &tree);
        return PST_E_NOMEM;
    }
    ret = pst_dtree_read(file, &tree, 0, node->data, (size_t)tree.total, &got);
    pst_dtree_free(file, &tree);
    if (ret)
    {
        pst_free(file, node);
        return ret;
    }
    node->next = *list;
    *list = node;
    *data = node->data;
    *size = got;
    return PST_OK;
}

static void free_loaded(struct pst_file *file, struct pst_loaded **list)
{
    while (*list)
    {
        struct pst_loaded *next = (*list)->next;

        pst_free(file, *list);
        *list = next;
    }
}

static int resolve_hnid(struct pst_hn *hn, uint64_t bid_sub, uint32_t hnid, struct pst_loaded **list,
                        const uint8_t **data, size_t *size)
{
    if (!hnid)
    {
        *data = empty_value;
        *size = 0;
        return PST_OK;
    }
    if (!(hnid & 0x1f)) return pst_hn_get(hn, hnid, data, size);
    return load_subnode_value(hn->file, bid_sub, hnid, list, data, size);
}

/* Fills value from stored bytes of a type that is not stored inline. */
static int value_from_bytes(struct pst_file *file, uint32_t tag, const uint8_t *data, size_t size,
                            struct pst_value *value)
{
    uint16_t type = PST_PROP_TYPE(tag);
    unsigned int fixed = pst_type_fixed_size(type);

    memset(value, 0, sizeof(*value));
    value->tag = tag;
    value->type = type;
    value->bytes = data;
    value->size = size;
    if (fixed && fixed != ~0u)
    {
        if (size != fixed)
            return pst_error(file, PST_E_CORRUPT, "property %#x has %u bytes, expected %u", tag,
                             (unsigned int)size, fixed);
        switch (fixed)
        {
        case 1: value->u.boolean = data[0] != 0; break;
        case 2: value->u.i2 = (int16_t)pst_rd16(data); break;
        case 4:
            if (type == PST_PT_R4) memcpy(&value->u.r4, data, 4);
            else value->u.l = (int32_t)pst_rd32(data);
            break;
        case 8:
            if (type == PST_PT_DOUBLE || type == PST_PT_APPTIME)
            {
                uint64_t bits = pst_rd64(data);

                memcpy(&value->u.dbl, &bits, 8);
            }
            else value->u.i8 = (int64_t)pst_rd64(data);
            break;
        }
        if (fixed <= 8) value->bytes = NULL;
    }
    else if (type == PST_PT_OBJECT)
    {
        if (size != 8) return pst_error(file, PST_E_CORRUPT, "object property %#x has %u bytes", tag,
                                        (unsigned int)size);
        value->u.obj.nid = pst_rd32(data);
        value->u.obj.size = pst_rd32(data + 4);
    }
    return PST_OK;
}

int pst_value_from_bytes(struct pst_file *file, uint32_t tag, const uint8_t *data, size_t size,
                         struct pst_value *value)
{
    return value_from_bytes(file, tag, data, size, value);
}

int pst_value_mv_count(const struct pst_value *value, uint32_t *count)
{
    uint16_t base;
    unsigned int fixed;

    if (!value || !count || !(value->type & PST_MV_FLAG)) return PST_E_INVALID_ARG;
    base = value->type & ~PST_MV_FLAG;
    fixed = pst_type_fixed_size(base);
    if (fixed == ~0u) return PST_E_UNSUPPORTED;
    if (fixed)
    {
        if (value->size % fixed) return PST_E_CORRUPT;
        *count = (uint32_t)(value->size / fixed);
        return PST_OK;
    }
    if (!value->size)
    {
        *count = 0;
        return PST_OK;
    }
    if (value->size < 4) return PST_E_CORRUPT;
    *count = pst_rd32(value->bytes);
    if (*count > (value->size - 4) / 4) return PST_E_CORRUPT;
    return PST_OK;
}

int pst_value_mv_get(const struct pst_value *value, uint32_t index, struct pst_value *elem)
{
    uint16_t base;
    unsigned int fixed;
    uint32_t count, start, end;
    int ret;

    if ((ret = pst_value_mv_count(value, &count))) return ret;
    if (!elem || index >= count) return PST_E_INVALID_ARG;
    base = value->type & ~PST_MV_FLAG;
    fixed = pst_type_fixed_size(base);
    memset(elem, 0, sizeof(*elem));
    elem->tag = PST_PROP_TAG(PST_PROP_ID(value->tag), base);
    elem->type = base;
    if (fixed)
    {
        const uint8_t *p = value->bytes + (size_t)index * fixed;

        elem->bytes = p;
        elem->size = fixed;
        switch (fixed)
        {
        case 2: elem->u.i2 = (int16_t)pst_rd16(p); elem->bytes = NULL; break;
        case 4:
            if (base == PST_PT_R4) memcpy(&elem->u.r4, p, 4);
            else elem->u.l = (int32_t)pst_rd32(p);
            elem->bytes = NULL;
            break;
        case 8:
            if (base == PST_PT_DOUBLE || base == PST_PT_APPTIME)
            {
                uint64_t bits = pst_rd64(p);

                memcpy(&elem->u.dbl, &bits, 8);
            }
            else elem->u.i8 = (int64_t)pst_rd64(p);
            elem->bytes = NULL;
            break;
        }
        return PST_OK;
    }
    start = pst_rd32(value->bytes + 4 + 4 * (size_t)index);
    end = index + 1 < count ? pst_rd32(value->bytes + 4 + 4 * ((size_t)index + 1)) : (uint32_t)value->size;
    if (start < 4 + 4 * count || start > end || end > value->size) return PST_E_CORRUPT;
    elem->bytes = value->bytes + start;
    elem->size = end - start;
    return PST_OK;
}

/* ------------------------------------------------------------------ PC -- */

static enum pst_object_kind kind_from_nid(uint32_t nid)
{
    if (nid == PST_NID_MESSAGE_STORE) return PST_OBJ_STORE;
    switch (PST_NID_TYPE(nid))
    {
    case PST_NID_TYPE_NORMAL_FOLDER:
    case PST_NID_TYPE_SEARCH_FOLDER:
        return PST_OBJ_FOLDER;
    case PST_NID_TYPE_NORMAL_MESSAGE:
    case PST_NID_TYPE_ASSOC_MESSAGE:
        return PST_OBJ_MESSAGE;
    case PST_NID_TYPE_ATTACHMENT:
        return PST_OBJ_ATTACHMENT;
    }
    return PST_OBJ_OTHER;
}

int pst_object_load(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub,
                    enum pst_object_kind kind, struct pst_object **out)
{
    struct pst_object *obj;
    struct pst_bth bth;
    uint8_t *records;
    uint32_t i;
    int ret;

    *out = NULL;
    if (!(obj = pst_zalloc(file, sizeof(*obj)))) return PST_E_NOMEM;
    obj->file = file;
    obj->nid = nid;
    obj->kind = kind ? kind : kind_from_nid(nid);
    obj->bid_data = bid_data;
    obj->bid_sub = bid_sub;
    if ((ret = pst_hn_open(file, bid_data, nid, &obj->hn))) goto fail;
    if (obj->hn.client_sig != 0xbc)
    {
        ret = pst_error(file, PST_E_CORRUPT, "node %#x is not a property context (client signature %#x)",
                        nid, obj->hn.client_sig);
        goto fail;
    }
    if ((ret = pst_bth_open(&obj->hn, obj->hn.hid_user_root, &bth))) goto fail;
    if (bth.cb_key != 2 || bth.cb_ent != 6)
    {
        ret = pst_error(file, PST_E_CORRUPT, "node %#x: property BTH has key %u / data %u bytes",
                        nid, bth.cb_key, bth.cb_ent);
        goto fail;
    }
    if ((ret = pst_bth_collect(&bth, &records, &obj->count))) goto fail;
    if (!(obj->records = pst_alloc(file, (obj->count ? obj->count : 1) * sizeof(*obj->records))))
    {
        pst_free(file, records);
        ret = PST_E_NOMEM;
        goto fail;
    }
    for (i = 0; i < obj->count; i++)
    {
        obj->records[i].id = pst_rd16(records + i * 8);
        obj->records[i].type = pst_rd16(records + i * 8 + 2);
        obj->records[i].hnid = pst_rd32(records + i * 8 + 4);
    }
    pst_free(file, records);
    *out = obj;
    return PST_OK;

fail:
    pst_object_close(obj);
    return ret;
}

int pst_object_open(struct pst_file *file, uint32_t nid, struct pst_object **obj)
{
    struct pst_nbt_entry e;
    int ret;

    TRACE("%p %#x\n", file, nid);
    if (!obj) return PST_E_INVALID_ARG;
    *obj = NULL;
    if (!file) return PST_E_INVALID_ARG;
    if ((ret = pst_nbt_lookup(file, nid, &e)))
    {
        if (ret == PST_E_NOT_FOUND) pst_error(file, ret, "NID %#x is not in the node B-tree", nid);
        return ret;
    }
    if ((ret = pst_object_load(file, nid, e.bid_data, e.bid_sub, 0, obj))) return ret;
    (*obj)->nid_parent = e.nid_parent;
    return PST_OK;
}

void pst_object_close(struct pst_object *obj)
{
    if (!obj) return;
    free_loaded(obj->file, &obj->loaded);
    pst_hn_free(&obj->hn);
    pst_free(obj->file, obj->records);
    pst_free(obj->file, obj);
}

uint32_t pst_object_nid(const struct pst_object *obj)
{
    return obj ? obj->nid : 0;
}

uint32_t pst_object_parent(const struct pst_object *obj)
{
    return obj ? obj->nid_parent : 0;
}

enum pst_object_kind pst_object_kind(const struct pst_object *obj)
{
    return obj ? obj->kind : PST_OBJ_OTHER;
}

uint32_t pst_prop_count(const struct pst_object *obj)
{
    return obj ? obj->count : 0;
}

static int record_value(struct pst_object *obj, const struct pst_pc_record *r, struct pst_value *value)
{
    uint32_t tag = PST_PROP_TAG(r->id, r->type);
    unsigned int fixed = pst_type_fixed_size(r->type);
    const uint8_t *data;
    size_t size;
    uint8_t inl[4];
    int ret;

    if (fixed != ~0u && fixed && fixed <= 4)
    {
        /* Stored in dwValueHnid itself. */
        pst_wr32(inl, r->hnid);
        return value_from_bytes(obj->file, tag, inl, fixed, value);
    }
    if ((ret = resolve_hnid(&obj->hn, obj->bid_sub, r->hnid, &obj->loaded, &data, &size))) return ret;
    return value_from_bytes(obj->file, tag, data, size, value);
}

int pst_prop_get_at(struct pst_object *obj, uint32_t index, struct pst_value *value)
{
    if (!obj || !value || index >= obj->count) return PST_E_INVALID_ARG;
    return record_value(obj, &obj->records[index], value);
}

static const struct pst_pc_record *find_record(const struct pst_object *obj, uint32_t tag)
{
    uint32_t lo = 0, hi = obj->count;
    uint16_t id = PST_PROP_ID(tag), type = PST_PROP_TYPE(tag);

    while (lo < hi)
    {
        uint32_t mid = (lo + hi) / 2;

        if (obj->records[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    if (lo < obj->count && obj->records[lo].id == id
            && (type == PST_PT_UNSPECIFIED || obj->records[lo].type == type))
        return &obj->records[lo];
    return NULL;
}

int pst_prop_get(struct pst_object *obj, uint32_t tag, struct pst_value *value)
{
    const struct pst_pc_record *r;

    if (!obj || !value) return PST_E_INVALID_ARG;
    if (!(r = find_record(obj, tag))) return PST_E_NOT_FOUND;
    return record_value(obj, r, value);
}

/* ------------------------------------------------------------- streams -- */

struct pst_stream
{
    struct pst_file *file;
    struct pst_dtree tree;      /* when the value is in a subnode */
    const uint8_t *mem;         /* when it is in the heap or inline */
    uint8_t inl[8];
    uint64_t size;
};

int pst_prop_open_stream(struct pst_object *obj, uint32_t tag, struct pst_stream **out)
{
    const struct pst_pc_record *r;
    struct pst_stream *s;
    struct pst_file *file;
    int ret = PST_OK;

    if (!out) return PST_E_INVALID_ARG;
    *out = NULL;
    if (!obj) return PST_E_INVALID_ARG;
    file = obj->file;
    TRACE("%p %#x\n", obj, tag);
    if (!(r = find_record(obj, tag))) return PST_E_NOT_FOUND;
    if (!(s = pst_zalloc(file, sizeof(*s)))) return PST_E_NOMEM;
    s->file = file;
    s->tree.cached = ~0u;
    if (pst_type_fixed_size(r->type) != ~0u && pst_type_fixed_size(r->type) && pst_type_fixed_size(r->type) <= 4)
    {
        pst_wr32(s->inl, r->hnid);
        s->mem = s->inl;
        s->size = pst_type_fixed_size(r->type);
    }
    else if (!r->hnid)
    {
        s->mem = empty_value;
        s->size = 0;
    }
    else if (!(r->hnid & 0x1f))
    {
        size_t size;

        ret = pst_hn_get(&obj->hn, r->hnid, &s->mem, &size);
        s->size = size;
    }
    else
    {
        struct pst_subnode sub;

        ret = pst_subnode_lookup(file, obj->bid_sub, r->hnid, &sub);
        if (ret == PST_E_NOT_FOUND)
            ret = pst_error(file, PST_E_CORRUPT, "value subnode %#x does not exist", r->hnid);
        if (!ret && !(ret = pst_dtree_load(file, sub.bid_data, &s->tree))) s->size = s->tree.total;
    }
    if (ret)
    {
        pst_stream_close(s);
        return ret;
    }
    *out = s;
    return PST_OK;
}

uint64_t pst_stream_size(const struct pst_stream *stream)
{
    return stream ? stream->size : 0;
}

int pst_stream_read(struct pst_stream *s, uint64_t offset, void *buf, size_t len, size_t *read)
{
    if (!s || !read || (!buf && len)) return PST_E_INVALID_ARG;
    *read = 0;
    if (offset >= s->size) return PST_OK;
    if (len > s->size - offset) len = (size_t)(s->size - offset);
    if (s->mem)
    {
        memcpy(buf, s->mem + offset, len);
        *read = len;
        return PST_OK;
    }
    return pst_dtree_read(s->file, &s->tree, offset, buf, len, read);
}

void pst_stream_close(struct pst_stream *s)
{
    if (!s) return;
    pst_dtree_free(s->file, &s->tree);
    pst_free(s->file, s);
}

/* ------------------------------------------------------------------ TC -- */

struct pst_table
{
    struct pst_file *file;
    uint32_t nid;
    uint64_t bid_sub;
    struct pst_hn hn;
    uint32_t ncols;
    struct pst_column *cols;
    uint16_t rgib[4];
    uint32_t nrows;             /* row index records */
    uint32_t *index_ids;        /* row IDs, sorted */
    uint32_t *index_rows;       /* matrix row of each */
    uint32_t matrix_rows;
    const uint8_t *matrix;      /* heap matrix, or NULL */
    struct pst_dtree tree;      /* subnode matrix */
    uint32_t rows_per_block;
    uint8_t *row;               /* current row buffer */
    struct pst_loaded *loaded;  /* values of the last get_cell */
};

int pst_table_load(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub,
                   struct pst_table **out)
{
    struct pst_table *t;
    const uint8_t *info;
    size_t size;
    struct pst_bth bth;
    uint8_t *records = NULL;
    uint32_t hnid_rows, i;
    unsigned int ceb_size;
    int ret;

    *out = NULL;
    if (!(t = pst_zalloc(file, sizeof(*t)))) return PST_E_NOMEM;
    t->file = file;
    t->nid = nid;
    t->bid_sub = bid_sub;
    t->tree.cached = ~0u;
    if ((ret = pst_hn_open(file, bid_data, nid, &t->hn))) goto fail;
    if (t->hn.client_sig != 0x7c)
    {
        ret = pst_error(file, PST_E_CORRUPT, "node %#x is not a table context (client signature %#x)",
                        nid, t->hn.client_sig);
        goto fail;
    }
    if ((ret = pst_hn_get(&t->hn, t->hn.hid_user_root, &info, &size))) goto fail;
    if (size < 22 || info[0] != 0x7c || size < 22 + 8 * (size_t)info[1])
    {
        ret = pst_error(file, PST_E_CORRUPT, "node %#x: invalid TCINFO", nid);
        goto fail;
    }
    t->ncols = info[1];
    for (i = 0; i < 4; i++) t->rgib[i] = pst_rd16(info + 2 + 2 * i);
    ceb_size = (t->ncols + 7) / 8;
    if (t->rgib[0] > t->rgib[1] || t->rgib[1] > t->rgib[2] || t->rgib[2] + ceb_size > t->rgib[3]
            || t->rgib[3] < 4)
    {
        ret = pst_error(file, PST_E_CORRUPT, "node %#x: TCINFO row layout %u/%u/%u/%u is invalid", nid,
                        t->rgib[0], t->rgib[1], t->rgib[2], t->rgib[3]);
        goto fail;
    }
    if (!(t->cols = pst_alloc(file, (t->ncols ? t->ncols : 1) * sizeof(*t->cols)))
            || !(t->row = pst_zalloc(file, t->rgib[3])))
    {
        ret = PST_E_NOMEM;
        goto fail;
    }
    for (i = 0; i < t->ncols; i++)
    {
        const uint8_t *c = info + 22 + 8 * i;

        t->cols[i].tag = pst_rd32(c);
        t->cols[i].offset = pst_rd16(c + 4);
        t->cols[i].size = c[6];
        t->cols[i].bit = c[7];
        if (t->cols[i].offset + t->cols[i].size > t->rgib[2] || t->cols[i].bit >= t->ncols
                || !t->cols[i].size)
        {
            ret = pst_error(file, PST_E_CORRUPT, "node %#x: column %u (%#x) lies outside the row", nid, i,
                            t->cols[i].tag);
            goto fail;
        }
    }
    /* Row index. */
    if (pst_rd32(info + 10))
    {
        if ((ret = pst_bth_open(&t->hn, pst_rd32(info + 10), &bth))) goto fail;
        if (bth.cb_key != 4 || (bth.cb_ent != 4 && bth.cb_ent != 2))
        {
            ret = pst_error(file, PST_E_CORRUPT, "node %#x: row index BTH has key %u / data %u bytes", nid,
                            bth.cb_key, bth.cb_ent);
            goto fail;
        }
        if ((ret = pst_bth_collect(&bth, &records, &t->nrows))) goto fail;
        if (!(t->index_ids = pst_alloc(file, (t->nrows + 1) * sizeof(uint32_t)))
                || !(t->index_rows = pst_alloc(file, (t->nrows + 1) * sizeof(uint32_t))))
        {
            ret = PST_E_NOMEM;
            goto fail;
        }
        for (i = 0; i < t->nrows; i++)
        {
            const uint8_t *r = records + i * (4 + bth.cb_ent);

            t->index_ids[i] = pst_rd32(r);
            t->index_rows[i] = bth.cb_ent == 4 ? pst_rd32(r + 4) : pst_rd16(r + 4);
        }
        pst_free(file, records);
        records = NULL;
    }
    /* Row matrix. */
    hnid_rows = pst_rd32(info + 14);
    if (!hnid_rows) t->matrix_rows = 0;
    else if (!(hnid_rows & 0x1f))
    {
        if ((ret = pst_hn_get(&t->hn, hnid_rows, &t->matrix, &size))) goto fail;
        t->matrix_rows = (uint32_t)(size / t->rgib[3]);
    }
    else
    {
        struct pst_subnode sub;

        if ((ret = pst_subnode_lookup(file, bid_sub, hnid_rows, &sub)))
        {
            if (ret == PST_E_NOT_FOUND)
                ret = pst_error(file, PST_E_CORRUPT, "node %#x: row matrix subnode %#x does not exist", nid,
                                hnid_rows);
            goto fail;
        }
        if ((ret = pst_dtree_load(file, sub.bid_data, &t->tree))) goto fail;
        t->rows_per_block = file->max_block_data / t->rgib[3];
        if (!t->rows_per_block)
        {
            ret = pst_error(file, PST_E_CORRUPT, "node %#x: row size %u exceeds a block", nid, t->rgib[3]);
            goto fail;
        }
        for (i = 0; i < t->tree.count; i++) t->matrix_rows += t->tree.sizes[i] / t->rgib[3];
    }
    for (i = 0; i < t->nrows; i++)
    {
        if (t->index_rows[i] >= t->matrix_rows)
        {
            ret = pst_error(file, PST_E_CORRUPT, "node %#x: row %#x points to matrix row %u of %u", nid,
                            t->index_ids[i], t->index_rows[i], t->matrix_rows);
            goto fail;
        }
    }
    *out = t;
    return PST_OK;

fail:
    pst_free(file, records);
    pst_table_close(t);
    return ret;
}

int pst_table_open(struct pst_file *file, uint32_t nid, struct pst_table **table)
{
    struct pst_nbt_entry e;
    int ret;

    TRACE("%p %#x\n", file, nid);
    if (!table) return PST_E_INVALID_ARG;
    *table = NULL;
    if (!file) return PST_E_INVALID_ARG;
    if ((ret = pst_nbt_lookup(file, nid, &e)))
    {
        if (ret == PST_E_NOT_FOUND) pst_error(file, ret, "NID %#x is not in the node B-tree", nid);
        return ret;
    }
    return pst_table_load(file, nid, e.bid_data, e.bid_sub, table);
}

void pst_table_close(struct pst_table *t)
{
    if (!t) return;
    free_loaded(t->file, &t->loaded);
    pst_dtree_free(t->file, &t->tree);
    pst_hn_free(&t->hn);
    pst_free(t->file, t->cols);
    pst_free(t->file, t->row);
    pst_free(t->file, t->index_ids);
    pst_free(t->file, t->index_rows);
    pst_free(t->file, t);
}

uint32_t pst_table_column_count(const struct pst_table *t)
{
    return t ? t->ncols : 0;
}

int pst_table_column(const struct pst_table *t, uint32_t index, struct pst_column *col)
{
    if (!t || !col || index >= t->ncols) return PST_E_INVALID_ARG;
    *col = t->cols[index];
    return PST_OK;
}

uint32_t pst_table_row_count(const struct pst_table *t)
{
    return t ? t->nrows : 0;
}

void pst_table_internal_info(const struct pst_table *t, struct pst_table_internal *info)
{
    info->row_index_count = t->nrows;
    info->matrix_rows = t->matrix_rows;
}

/* Copies matrix row into t->row. */
static int load_row(struct pst_table *t, uint32_t row)
{
    unsigned int rs = t->rgib[3];

    if (row >= t->matrix_rows) return PST_E_INVALID_ARG;
    if (t->matrix) memcpy(t->row, t->matrix + (size_t)row * rs, rs);
    else
    {
        uint32_t leaf = row / t->rows_per_block, off = (row % t->rows_per_block) * rs;
        const uint8_t *data;
        size_t size;
        int ret;

        if (leaf >= t->tree.count) return pst_error(t->file, PST_E_CORRUPT, "node %#x: row %u is missing", t->nid, row);
        if ((ret = pst_dtree_leaf(t->file, &t->tree, leaf, &data, &size))) return ret;
        if (off + rs > size) return pst_error(t->file, PST_E_CORRUPT, "node %#x: row %u is cut short", t->nid, row);
        memcpy(t->row, data + off, rs);
    }
    return PST_OK;
}

int pst_table_row_id(struct pst_table *t, uint32_t row, uint32_t *row_id)
{
    int ret;

    if (!t || !row_id || row >= t->nrows) return PST_E_INVALID_ARG;
    if ((ret = load_row(t, row))) return ret;
    *row_id = pst_rd32(t->row);
    return PST_OK;
}

int pst_table_find_row(struct pst_table *t, uint32_t row_id, uint32_t *row)
{
    uint32_t lo = 0, hi;

    if (!t || !row) return PST_E_INVALID_ARG;
    hi = t->nrows;
    while (lo < hi)
    {
        uint32_t mid = (lo + hi) / 2;

        if (t->index_ids[mid] < row_id) lo = mid + 1;
        else hi = mid;
    }
    if (lo < t->nrows && t->index_ids[lo] == row_id)
    {
        *row = t->index_rows[lo];
        return PST_OK;
    }
    return PST_E_NOT_FOUND;
}

int pst_table_get_cell(struct pst_table *t, uint32_t row, uint32_t tag, struct pst_value *value)
{
    const struct pst_column *col = NULL;
    uint16_t type;
    unsigned int fixed;
    const uint8_t *data;
    size_t size;
    uint32_t i;
    int ret;

    if (!t || !value || row >= t->nrows) return PST_E_INVALID_ARG;
    free_loaded(t->file, &t->loaded);
    for (i = 0; i < t->ncols; i++)
    {
        if (t->cols[i].tag == tag
                || (PST_PROP_TYPE(tag) == PST_PT_UNSPECIFIED && PST_PROP_ID(t->cols[i].tag) == PST_PROP_ID(tag)))
        {
            col = &t->cols[i];
            break;
        }
    }
    if (!col) return PST_E_NOT_FOUND;
    if ((ret = load_row(t, row))) return ret;
    if (!(t->row[t->rgib[2] + col->bit / 8] & (0x80 >> (col->bit % 8)))) return PST_E_NOT_FOUND;
    type = PST_PROP_TYPE(col->tag);
    fixed = pst_type_fixed_size(type);
    if (fixed != ~0u && fixed && fixed <= 8)
    {
        if (col->size != fixed)
            return pst_error(t->file, PST_E_CORRUPT, "node %#x: column %#x has %u bytes", t->nid, col->tag, col->size);
        return value_from_bytes(t->file, col->tag, t->row + col->offset, fixed, value);
    }
    if (col->size != 4)
        return pst_error(t->file, PST_E_CORRUPT, "node %#x: column %#x has %u bytes", t->nid, col->tag, col->size);
    if ((ret = resolve_hnid(&t->hn, t->bid_sub, pst_rd32(t->row + col->offset), &t->loaded, &data, &size)))
        return ret;
    return value_from_bytes(t->file, col->tag, data, size, value);
}
