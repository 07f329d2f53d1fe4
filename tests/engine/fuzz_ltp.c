/*
 * libFuzzer target: the LTP decoders (heap-on-node, BTH, property context,
 * table context) on one node's data, without a whole file.
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

/*
 * The decoders read through a pst_file, so each input becomes the smallest
 * valid Unicode file around the node's blocks: a header, an NBT leaf with
 * the node alone, one BBT leaf page and the blocks (with correct trailers, signatures and
 * CRCs, so that every input reaches the LTP layer).  The node is then
 * opened both as a property context and as a table context, and every
 * property, every cell of every row and every element of multi-valued
 * values is read; NID_NAME_TO_ID_MAP also goes through the name map.  pst_check is not run: it is what makes fuzz_pst slow.
 *
 * Input (ltp_seeds writes the same format from the samples' real nodes):
 *   byte 0      bits 0-1: data blocks - 1 (more than one: an XBLOCK lists
 *               them); bits 2-4: subnodes (each one data block)
 *   u32         the node's NID
 *   per data block:  u16 size, the bytes (at most 8176)
 *   per subnode:     u32 NID, u16 size, the bytes
 * Missing bytes are taken as empty.
 */

#include <stdlib.h>
#include <string.h>
#include "pst_private.h"

#define MAX_DATA   4
#define MAX_SUB    7
#define MAX_BLOCK  8176
#define HEADER_END 0x400
#define NBT_IB     0x400
#define BBT_IB     0x600
#define BLOCKS_IB  0x800
#define MAX_ROWS   4096

struct block
{
    uint64_t bid;
    const uint8_t *data;
    size_t size;
    uint64_t ib;
};

struct sub
{
    uint32_t nid;
    uint64_t bid;
};

struct input
{
    const uint8_t *data;
    size_t size, pos;
};

static unsigned int next8(struct input *in)
{
    return in->pos < in->size ? in->data[in->pos++] : 0;
}

static unsigned int next16(struct input *in)
{
    unsigned int v = next8(in);

    return v | next8(in) << 8;
}

static uint32_t next32(struct input *in)
{
    uint32_t v = next16(in);

    return v | (uint32_t)next16(in) << 16;
}

static const uint8_t *next_bytes(struct input *in, size_t *size)
{
    const uint8_t *ret;

    *size = next16(in);
    if (*size > MAX_BLOCK) *size = MAX_BLOCK;
    if (*size > in->size - in->pos) *size = in->size - in->pos;
    ret = in->data + in->pos;
    in->pos += *size;
    return ret;
}

static void wr16(uint8_t *p, unsigned int v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr64(uint8_t *p, uint64_t v)
{
    pst_wr32(p, (uint32_t)v);
    pst_wr32(p + 4, (uint32_t)(v >> 32));
}

static void bt_page(uint8_t *page, uint64_t ib, uint64_t bid, uint8_t ptype, unsigned int count,
                    unsigned int cb_ent)
{
    uint8_t *t = page + 496;

    page[488] = (uint8_t)count;
    page[489] = (uint8_t)(488 / cb_ent);
    page[490] = (uint8_t)cb_ent;
    page[491] = 0;
    t[0] = t[1] = ptype;
    wr16(t + 2, pst_compute_sig(ib, bid));
    wr64(t + 8, bid);
    pst_wr32(t + 4, pst_crc32(0, page, 496));
}

static int sub_compare(const void *a, const void *b)
{
    const struct sub *x = a, *y = b;

    return x->nid < y->nid ? -1 : x->nid > y->nid;
}

/* Lays out the file, with the node in the NBT; returns its size, 0 on
 * failure. */
static size_t build_file(struct block *blocks, unsigned int count, uint64_t next_bid, uint32_t nid,
                         uint64_t bid_data, uint64_t bid_sub, uint8_t **out)
{
    size_t size = BLOCKS_IB, ib;
    unsigned int i;
    uint8_t *f, *h;

    for (i = 0; i < count; i++)
    {
        blocks[i].ib = size;
        size += (blocks[i].size + 16 + 63) & ~(size_t)63;
    }
    if (!(f = calloc(1, size))) return 0;
    h = f;
    memcpy(h, "!BDN", 4);
    h[8] = 'S';
    h[9] = 'M';
    wr16(h + 10, 23);
    wr16(h + 12, 19);
    h += 180;                       /* ROOT */
    wr64(h + 4, size);              /* ibFileEof */
    wr64(h + 36, 0x100);            /* BREFNBT */
    wr64(h + 44, NBT_IB);
    wr64(h + 52, 0x104);            /* BREFBBT */
    wr64(h + 60, BBT_IB);
    h = f;
    h[512] = 0x80;                  /* bSentinel; bCryptMethod 0 */
    wr64(h + 516, next_bid);
    pst_wr32(h + 4, pst_crc32(0, h + 8, 471));
    pst_wr32(h + 524, pst_crc32(0, h + 8, 516));

    pst_wr32(f + NBT_IB, nid);
    wr64(f + NBT_IB + 8, bid_data);
    wr64(f + NBT_IB + 16, bid_sub);
    bt_page(f + NBT_IB, NBT_IB, 0x100, PST_PTYPE_NBT, 1, 32);
    for (i = 0; i < count; i++)
    {
        uint8_t *e = f + BBT_IB + 24 * i, *t;

        wr64(e, blocks[i].bid);
        wr64(e + 8, blocks[i].ib);
        wr16(e + 16, (unsigned int)blocks[i].size);
        wr16(e + 18, 1);
        ib = blocks[i].ib;
        if (blocks[i].size) memcpy(f + ib, blocks[i].data, blocks[i].size);
        t = f + ib + (((blocks[i].size + 16 + 63) & ~(size_t)63) - 16);
        wr16(t, (unsigned int)blocks[i].size);
        wr16(t + 2, pst_compute_sig(ib, blocks[i].bid));
        pst_wr32(t + 4, pst_crc32(0, f + ib, blocks[i].size));
        wr64(t + 8, blocks[i].bid);
    }
    bt_page(f + BBT_IB, BBT_IB, 0x104, PST_PTYPE_BBT, count, 24);
    *out = f;
    return size;
}

static void read_value(const struct pst_value *value)
{
    volatile uint8_t sink = 0;
    struct pst_value elem;
    uint32_t count, i;
    size_t k;

    /* every byte the value claims, so that ASan sees any overread */
    for (k = 0; value->bytes && k < value->size; k++) sink ^= value->bytes[k];
    if (!(value->type & PST_MV_FLAG) || pst_value_mv_count(value, &count)) return;
    for (i = 0; i < count; i++)
    {
        if (pst_value_mv_get(value, i, &elem)) break;
        for (k = 0; elem.bytes && k < elem.size; k++) sink ^= elem.bytes[k];
    }
    (void)sink;
}

static void read_pc(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub)
{
    struct pst_object *obj;
    struct pst_stream *stream;
    struct pst_value value;
    uint8_t buf[64];
    size_t got;
    uint32_t i;

    if (pst_object_load(file, nid, bid_data, bid_sub, 0, &obj)) return;
    for (i = 0; i < pst_prop_count(obj); i++)
    {
        if (pst_prop_get_at(obj, i, &value)) continue;
        read_value(&value);
        if (!pst_prop_get(obj, value.tag, &value)) read_value(&value);
        /* the streaming path of the same value, from its middle */
        if (!pst_prop_open_stream(obj, value.tag, &stream))
        {
            pst_stream_read(stream, pst_stream_size(stream) / 2, buf, sizeof(buf), &got);
            pst_stream_close(stream);
        }
    }
    pst_object_close(obj);
}

static void read_tc(struct pst_file *file, uint32_t nid, uint64_t bid_data, uint64_t bid_sub)
{
    struct pst_table *table;
    struct pst_column col;
    struct pst_value value;
    uint32_t rows, cols, r, c, id, found;

    if (pst_table_load(file, nid, bid_data, bid_sub, &table)) return;
    rows = pst_table_row_count(table);
    cols = pst_table_column_count(table);
    for (r = 0; r < rows && r < MAX_ROWS; r++)
    {
        if (!pst_table_row_id(table, r, &id)) pst_table_find_row(table, id, &found);
        for (c = 0; c < cols; c++)
        {
            if (pst_table_column(table, c, &col)) continue;
            if (!pst_table_get_cell(table, r, col.tag, &value)) read_value(&value);
        }
    }
    pst_table_close(table);
}

/* The name map's streams, when the node is NID_NAME_TO_ID_MAP (it is
 * opened through the NBT). */
static void read_namemap(struct pst_file *file)
{
    struct pst_namemap *map;
    struct pst_name name;
    uint32_t i, count;
    uint16_t id;

    if (pst_namemap_open(file, &map)) return;
    count = pst_namemap_count(map);
    for (i = 0; i < count && i < 0x8000; i++)
    {
        volatile uint8_t sink = 0;
        size_t k;

        if (pst_namemap_get_name(map, (uint16_t)(0x8000 + i), &name)) continue;
        for (k = 0; name.name && k < name.name_size; k++) sink ^= name.name[k];
        (void)sink;
        pst_namemap_get_id(map, &name, &id);
    }
    pst_namemap_close(map);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct block blocks[MAX_DATA + MAX_SUB + 2];
    struct sub subs[MAX_SUB];
    struct input in = { data, size, 0 };
    unsigned int ndata, nsub, count = 0, i, k;
    uint64_t bid_data, bid_sub = 0, bid = 4;
    uint8_t xblock[8 + 8 * MAX_DATA], slblock[8 + 24 * MAX_SUB];
    struct pst_io *io;
    struct pst_file *file;
    uint32_t nid, total = 0;
    size_t file_size;
    uint8_t *f;

    i = next8(&in);
    ndata = (i & 3) + 1;
    nsub = (i >> 2) & 7;
    nid = next32(&in);
    memset(blocks, 0, sizeof(blocks));
    for (i = 0; i < ndata; i++, bid += 4)
    {
        blocks[count].bid = bid;
        blocks[count].data = next_bytes(&in, &blocks[count].size);
        total += (uint32_t)blocks[count].size;
        count++;
    }
    if (ndata == 1) bid_data = blocks[0].bid;
    else
    {
        xblock[0] = 0x01;
        xblock[1] = 1;
        wr16(xblock + 2, ndata);
        pst_wr32(xblock + 4, total);
        for (i = 0; i < ndata; i++) wr64(xblock + 8 + 8 * i, blocks[i].bid);
        blocks[count].bid = bid_data = bid | 2;
        blocks[count].data = xblock;
        blocks[count].size = 8 + 8 * ndata;
        count++;
        bid += 4;
    }
    for (i = 0; i < nsub; i++, bid += 4)
    {
        subs[i].nid = next32(&in);
        subs[i].bid = bid;
        blocks[count].bid = bid;
        blocks[count].data = next_bytes(&in, &blocks[count].size);
        count++;
    }
    if (nsub)
    {
        /* subnode lookups expect NID order */
        qsort(subs, nsub, sizeof(*subs), sub_compare);
        memset(slblock, 0, sizeof(slblock));
        slblock[0] = 0x02;
        wr16(slblock + 2, nsub);
        for (k = 0; k < nsub; k++)
        {
            pst_wr32(slblock + 8 + 24 * k, subs[k].nid);
            wr64(slblock + 16 + 24 * k, subs[k].bid);
        }
        blocks[count].bid = bid_sub = bid | 2;
        blocks[count].data = slblock;
        blocks[count].size = 8 + 24 * nsub;
        count++;
        bid += 4;
    }
    if (!(file_size = build_file(blocks, count, bid, nid, bid_data, bid_sub, &f))) return 0;
    if (!pst_io_open_memory(f, file_size, 0, &io))
    {
        if (!pst_open(io, NULL, &file, NULL, 0))
        {
            read_pc(file, nid, bid_data, bid_sub);
            read_tc(file, nid, bid_data, bid_sub);
            if (nid == PST_NID_NAME_TO_ID_MAP) read_namemap(file);
            pst_close(file);
        }
        io->close(io);
    }
    free(f);
    return 0;
}
