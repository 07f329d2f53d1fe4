/*
 * Writes fuzz_ltp seeds from real PST files: every heap-on-node node (PC
 * or TC, top-level or a message's subnode) whose data and subnodes fit the
 * target's input format, at most a few per kind of node and file.
 *   ltp_seeds OUTDIR file.pst...
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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pst_private.h"

#define PER_KIND 3          /* seeds per (NID type, client signature) */
#define MAX_SEEDS 256
#define MAX_SEED 12000      /* bytes */

struct state
{
    struct pst_file *file;
    const char *outdir, *name;
    unsigned int taken[32][2];
    unsigned int written;
    uint64_t hashes[MAX_SEEDS];    /* of those written: no two alike */
    /* subnodes of the node being written */
    uint8_t subs[7][8192 + 6];
    size_t sub_sizes[7];
    unsigned int nsub, sub_fail;
};

static void put16(uint8_t *p, unsigned int v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static int sub_cb(void *ctx, const struct pst_subnode *s)
{
    struct state *st = ctx;
    struct pst_dtree tree;
    const uint8_t *data;
    size_t size;

    if (st->nsub == 7 || pst_dtree_load(st->file, s->bid_data, &tree)) return st->sub_fail = 1;
    if (tree.count != 1 || pst_dtree_leaf(st->file, &tree, 0, &data, &size))
    {
        pst_dtree_free(st->file, &tree);
        return st->sub_fail = 1;
    }
    pst_wr32(st->subs[st->nsub], s->nid);
    put16(st->subs[st->nsub] + 4, (unsigned int)size);
    memcpy(st->subs[st->nsub] + 6, data, size);
    st->sub_sizes[st->nsub++] = size + 6;
    pst_dtree_free(st->file, &tree);
    return 0;
}

/* One node: its data tree leaves (1-4) and its subnodes (0-7, one block each). */
static void write_node(struct state *st, uint32_t nid, uint64_t bid_data, uint64_t bid_sub)
{
    static uint8_t buf[4 * 8178 + 7 * 8182 + 8];
    struct pst_dtree tree;
    const uint8_t *data;
    size_t size, pos = 5;
    uint64_t hash;
    unsigned int i, sig = 0;
    char path[4096];
    FILE *out;

    if (pst_dtree_load(st->file, bid_data, &tree)) return;
    if (!tree.count || tree.count > 4) goto done;
    for (i = 0; i < tree.count; i++)
    {
        if (pst_dtree_leaf(st->file, &tree, i, &data, &size)) goto done;
        if (!i)
        {
            if (size < 4 || data[2] != 0xec || (data[3] != 0xbc && data[3] != 0x7c)) goto done;
            sig = data[3] == 0xbc;
            if (st->taken[PST_NID_TYPE(nid)][sig] >= PER_KIND) goto done;
        }
        put16(buf + pos, (unsigned int)size);
        memcpy(buf + pos + 2, data, size);
        pos += size + 2;
    }
    st->nsub = st->sub_fail = 0;
    if (bid_sub && (pst_subnode_foreach(st->file, bid_sub, sub_cb, st) || st->sub_fail)) goto done;
    for (i = 0; i < st->nsub; i++)
    {
        memcpy(buf + pos, st->subs[i], st->sub_sizes[i]);
        pos += st->sub_sizes[i];
    }
    if (pos > MAX_SEED || st->written == MAX_SEEDS) goto done;
    buf[0] = (uint8_t)((tree.count - 1) | st->nsub << 2);
    pst_wr32(buf + 1, nid);
    hash = 0xcbf29ce484222325ull;
    for (i = 0; i < pos; i++) hash = (hash ^ buf[i]) * 0x100000001b3ull;
    for (i = 0; i < st->written; i++)
        if (st->hashes[i] == hash) goto done;
    snprintf(path, sizeof(path), "%s/%s-%x", st->outdir, st->name, nid);
    if ((out = fopen(path, "wb")))
    {
        fwrite(buf, 1, pos, out);
        fclose(out);
        st->taken[PST_NID_TYPE(nid)][sig]++;
        st->hashes[st->written++] = hash;
    }
done:
    pst_dtree_free(st->file, &tree);
}

static int child_cb(void *ctx, const struct pst_subnode *s)
{
    write_node(ctx, s->nid, s->bid_data, s->bid_sub);
    return 0;
}

static int node_cb(void *ctx, const struct pst_nbt_entry *e)
{
    struct state *st = ctx;

    write_node(st, e->nid, e->bid_data, e->bid_sub);
    /* a message's recipient and attachment tables and attachments */
    if (e->bid_sub && PST_NID_TYPE(e->nid) == PST_NID_TYPE_NORMAL_MESSAGE)
        pst_subnode_foreach(st->file, e->bid_sub, child_cb, st);
    return 0;
}

int main(int argc, char **argv)
{
    struct state *st;
    struct pst_io *io;
    char err[256];
    int i;

    if (argc < 3)
    {
        fprintf(stderr, "usage: %s OUTDIR file.pst...\n", argv[0]);
        return 2;
    }
    if (!(st = calloc(1, sizeof(*st)))) return 1;
    st->outdir = argv[1];
    for (i = 2; i < argc; i++)
    {
        const char *slash = strrchr(argv[i], '/');

        st->name = slash ? slash + 1 : argv[i];
        if (pst_io_open_file(argv[i], 0, &io)) continue;
        if (!pst_open(io, NULL, &st->file, err, sizeof(err)))
        {
            pst_nbt_foreach(st->file, node_cb, st);
            pst_close(st->file);
        }
        else fprintf(stderr, "%s: %s\n", argv[i], err);
        io->close(io);
    }
    printf("%u seeds\n", st->written);
    free(st);
    return 0;
}
