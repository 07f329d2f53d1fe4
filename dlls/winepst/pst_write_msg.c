/*
 * PST engine: writer, messaging layer (store, folders, messages, name map)
 *
 * Copyright 2026 The winemapix project
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * DENORMALISED DATA THIS FILE KEEPS (what pst_check verifies):
 *   - folder PC PR_CONTENT_COUNT / PR_CONTENT_UNREAD (messages whose
 *     PR_MESSAGE_FLAGS lacks MSGFLAG_READ) / PR_SUBFOLDERS, and
 *     PR_ASSOC_CONTENT_COUNT when the folder has it;
 *   - the folder's row in its parent's hierarchy TC mirrors the folder PC
 *     (every column the PC has, nothing else);
 *   - contents / FAI TC rows mirror the message PC the same way;
 *   - PR_MESSAGE_SIZE = bytes of the message's heap plus the data of every
 *     subnode below it (recipient and attachment tables, attachments,
 *     large values, embedded messages); PR_ATTACH_SIZE likewise for an
 *     attachment;
 *   - NBT parent links: folders and messages name their folder.
 * Folder PCs, folder tables and the name map are edited in a cache of
 * decoded nodes and written once at commit (pst_wcache_flush); the cache
 * is kept across commits (dropped at abort), and a table is rewritten
 * reusing its unchanged heap and row-matrix blocks.
 * Messages are written whole when saved.
 *
 * A new store replays Outlook's empty-store blueprint
 * (shared/spec/pst-empty-store-dump.txt): the same NIDs, templates, search
 * and undocumented internal nodes (their bytes as Outlook writes them),
 * name map and folders, plus Inbox, Outbox, Sent Items and Drafts.
 * Simplifications: every folder's tables use the template column sets
 * (Outlook gives the IPM subtree's contents table 59 columns and some
 * hierarchy tables more columns); search folders are not maintained.
 */

#include <stdlib.h>

#include "pst_write.h"

WINE_DEFAULT_DEBUG_CHANNEL(pst);

#define PR_DISPLAY_NAME_W        0x3001001f
#define PR_COMMENT_W             0x3004001f
#define PR_CONTENT_COUNT         0x36020003
#define PR_CONTENT_UNREAD        0x36030003
#define PR_SUBFOLDERS            0x360a000b
#define PR_CONTAINER_CLASS_W     0x3613001f
#define PR_ASSOC_CONTENT_COUNT   0x36170003
#define PR_MESSAGE_FLAGS         0x0e070003
#define PR_MESSAGE_SIZE          0x0e080003
#define PR_HASATTACH             0x0e1b000b
#define PR_ATTACH_SIZE           0x0e200003
#define PR_ATTACH_NUM            0x0e210003
#define PR_RENDERING_POSITION    0x370b0003
#define PR_ROWID                 0x30000003
#define PR_IPM_SUBTREE_ENTRYID   0x35e00102
#define PR_IPM_OUTBOX_ENTRYID    0x35e20102
#define PR_IPM_WASTEBASKET_ENTRYID 0x35e30102
#define PR_IPM_SENTMAIL_ENTRYID  0x35e40102
#define PR_VIEWS_ENTRYID         0x35e50102
#define PR_COMMON_VIEWS_ENTRYID  0x35e60102
#define PR_FINDER_ENTRYID        0x35e70102
#define PR_IPM_DRAFTS_ENTRYID    0x36d70102
#define MSGFLAG_READ             0x1
#define MSGFLAG_HASATTACH        0x10

#define NID_IPM_SUBTREE          0x8022
#define NID_SEARCH_ROOT          0x8042
#define NID_DELETED_ITEMS        0x8062
#define NID_COMMON_VIEWS         0x8082
#define NID_SPAM_SEARCH          0x2223
#define NID_RECEIVE_FOLDERS      0x62b

#define SUB_VALUES               0x100    /* first index of value subnodes in a PC's tree */
#define SUB_ATTACH               0x401    /* first index of attachment subnodes */

/* ----------------------------------------------------------- templates -- */

/* Column sets of Outlook's empty store, "tag@offset/size/bit". */
static const char cols_hier[] = "0E300102@20/4/6 0E330014@24/8/7 0E340102@32/4/8 0E380003@36/4/9 3001001F@8/4/2 "
    "36020003@12/4/3 36030003@16/4/4 360A000B@52/1/5 3613001F@40/4/10 66350003@44/4/11 66360003@48/4/12 "
    "67F20003@0/4/0 67F30003@4/4/1";
static const char cols_contents[] = "00170003@20/4/5 001A001F@12/4/3 00360003@60/4/15 0037001F@28/4/7 00390040@40/8/9 "
    "0042001F@24/4/6 0057000B@120/1/13 0058000B@121/1/14 0070001F@68/4/17 00710102@72/4/18 0E03001F@56/4/12 "
    "0E04001F@52/4/11 0E060040@32/8/8 0E070003@16/4/4 0E080003@48/4/10 0E170003@8/4/2 0E300102@92/4/22 "
    "0E330014@96/8/23 0E340102@104/4/24 0E380003@116/4/27 0E3C0102@112/4/26 0E3D0102@108/4/25 10970003@64/4/16 "
    "30080040@84/8/21 30130102@76/4/19 65C60003@80/4/20 67F20003@0/4/0 67F30003@4/4/1";
static const char cols_fai[] = "001A001F@12/4/3 0E070003@16/4/4 0E170003@8/4/2 3001001F@20/4/5 67F20003@0/4/0 "
    "67F30003@4/4/1 6800001F@44/4/11 6803000B@56/1/12 68051003@48/4/13 682F001F@52/4/14 70030003@24/4/6 "
    "70040102@28/4/7 70050102@32/4/8 7006001F@36/4/9 70070003@40/4/10";
static const char cols_search[] = "00170003@28/4/7 001A001F@20/4/5 00360003@60/4/16 0037001F@36/4/9 0042001F@32/4/8 "
    "0057000B@72/1/14 0058000B@73/1/15 0E03001F@56/4/13 0E04001F@52/4/12 0E05001F@12/4/3 0E060040@40/8/10 "
    "0E070003@24/4/6 0E080003@48/4/11 0E170003@16/4/4 0E2A000B@74/1/17 30080040@64/8/18 67F10003@8/4/2 "
    "67F20003@0/4/0 67F30003@4/4/1";
static const char cols_attach[] = "0E200003@12/4/3 3704001F@20/4/5 37050003@16/4/4 370B0003@8/4/2 67F20003@0/4/0 "
    "67F30003@4/4/1";
static const char cols_recip[] = "0C150003@24/4/7 0E0F000B@48/1/2 0FF90102@32/4/9 0FFE0003@36/4/10 0FFF0102@16/4/5 "
    "3001001F@20/4/6 3002001F@8/4/3 3003001F@12/4/4 300B0102@28/4/8 39000003@40/4/11 39FF001F@44/4/13 "
    "3A40000B@49/1/12 67F20003@0/4/0 67F30003@4/4/1";
static const char cols_receive[] = "001A001F@12/4/3 66050003@8/4/2 67F20003@0/4/0 67F30003@4/4/1";
static const char cols_outgoing[] = "00390040@16/8/4 0E100003@12/4/3 0E140003@8/4/2 67F20003@0/4/0 67F30003@4/4/1";
static const char cols_6b6[] = "0E330014@8/8/2 0E370102@16/4/3 0E380003@20/4/4 67F20003@0/4/0 67F30003@4/4/1";
static const char cols_6d7[] = "001A001F@36/4/8 0E300102@16/4/4 0E310102@12/4/3 0E330014@28/8/7 0E340102@24/4/6 "
    "0E380003@20/4/5 0E3E0102@8/4/2 67F20003@0/4/0 67F30003@4/4/1";
static const char cols_6f8[] = "0E330014@16/8/3 30070040@8/8/2 67F20003@0/4/0 67F30003@4/4/1";

/* Undocumented internal nodes, bytes as in Outlook's empty store. */
static const char raw_201[] = "23220000";
static const char raw_c01[] = "1800ec9c200000000000000040000000b510040000000000020000000c0010001800";
static const char raw_e01[] = "4c00eccc20000000000000004000000001000000040020000000000003000000000000001000000000000000"
    "b348000000000000000000000000000000000000e2010000b504040000000000020000000c0044004c00";
static const char raw_ee1[] = "2100000000000000000000000000000000000400000100000000000022800000000000000000000000000000"
    "000004000001000000000000428000000000000000000000000000000000040000010000000000006280000000000000000000000000"
    "000000000400000100000000000082800000000000000000000000000000000004000002000000000000";
static const char raw_f01[] = "080000000000000000000000000000000000000000000000000000000001010000000000000000002"
    "9b0bd2da4b0d5468f1f3e56b5ff735a86540e689a52ad48adc34216f89a2e7d6a000000020000006349a5233b7edb01000000000500"
    "00000500000000000000";

/* Outlook's predefined named properties: GUID, entry and string streams. */
static const char nm_guids[] = "0220060000000000c0000000000000468603020000000000c0000000000000460820060000000000c000"
    "000000000046138ff241f4831441a584eedb5a6b0bff1420060000000000c0000000000000460320060000000000c000000000000046";
static const char nm_entries[] = "05820000060000002382000006000100318200000600020016820000060003000d82000006000400"
    "0e8200000600050035820000060006003682000006000700338200000600080000000000090009002000000005000a003800000009"
    "000b006000000009000c00808500000a000d00818500000a000e008000000005000f00108500000a001000788500000a001100f800"
    "00000d0012001401000005001300058f00000e001400148500000a001500078f00000e001600038500000a001700a88500000a0018"
    "00028500000a0019000481000010001a000581000010001b001c81000010001c002801000009001d007801000005001e0070850000"
    "0a001f000181000010002000e08500000a002100528500000a002200";
static const char nm_strings[] = "1a00000063006f006e00740065006e0074002d0063006c00610073007300658f14000000440052004d"
    "004c006900630065006e00730065002200000078002d00630072002d00680061007300680065006400700075007a007a006c006500"
    "658f1a00000078002d00630072002d00700075007a007a006c00650069006400658f72000000750072006e003a0073006300680065"
    "006d00610073002d006d006900630072006f0073006f00660074002d0063006f006d003a006f00660066006900630065003a006f00"
    "750074006c006f006f006b002300730074006f007200650074007900700065007000720069007600610074006500658f1600000049"
    "0073004d0065006e00740069006f006e0065006400658f100000004b006500790077006f007200640073004a00000078002d006d00"
    "73002d00650078006300680061006e00670065002d006f007200670061006e0069007a006100740069006f006e002d006100750074"
    "00680064006f006d00610069006e00658f1800000044006f004e006f00740046006f0072007700610072006400";

static const uint8_t ps_mapi[16] = {0x28, 0x03, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46};
static const uint8_t ps_public_strings[16] = {0x29, 0x03, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46};

static int hexval(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Decodes hex into a fresh buffer. */
static int unhex(struct pst_file *file, const char *hex, uint8_t **out, size_t *size)
{
    size_t n = strlen(hex) / 2, i;

    if (!(*out = pst_alloc(file, n ? n : 1))) return PST_E_NOMEM;
    for (i = 0; i < n; i++) (*out)[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
    *size = n;
    return PST_OK;
}

static int parse_cols(struct pst_file *file, const char *spec, struct pst_wtable *t)
{
    struct pst_column cols[64];
    uint32_t n = 0;
    const char *p = spec;

    while (*p && n < 64)
    {
        char *end;

        cols[n].tag = (uint32_t)strtoul(p, &end, 16);
        cols[n].offset = (uint16_t)strtoul(end + 1, &end, 10);
        cols[n].size = (uint8_t)strtoul(end + 1, &end, 10);
        cols[n].bit = (uint8_t)strtoul(end + 1, &end, 10);
        n++;
        p = end;
        while (*p == ' ') p++;
    }
    return pst_wtable_init(file, t, cols, n);
}

/* --------------------------------------------------------------- cache -- */

struct wc_node
{
    uint32_t nid;
    int is_table;
    int dirty;
    struct pst_wprops props;
    struct pst_wtable table;
    struct pst_wleaves heap_prev;     /* blocks last written, for reuse */
    struct pst_wleaves matrix_prev;
    struct pst_wtc_snap *snap;        /* layout of the table's first rows */
};

struct pst_wcache
{
    struct wc_node *v;
    uint32_t count, cap;
};

static void wc_node_free(struct pst_file *file, struct wc_node *n)
{
    pst_wprops_free(file, &n->props);
    pst_wtable_free(file, &n->table);
    pst_wleaves_free(file, &n->heap_prev);
    pst_wleaves_free(file, &n->matrix_prev);
    pst_wtc_snap_free(file, &n->snap);
}

void pst_wcache_free(struct pst_file *file)
{
    struct pst_wcache *c = file->writer ? file->writer->cache : NULL;
    uint32_t i;

    if (!c) return;
    for (i = 0; i < c->count; i++) wc_node_free(file, &c->v[i]);
    pst_free(file, c->v);
    pst_free(file, c);
    file->writer->cache = NULL;
}

static struct wc_node *cache_find(struct pst_file *file, uint32_t nid)
{
    struct pst_wcache *c = file->writer->cache;
    uint32_t i;

    if (!c) return NULL;
    for (i = 0; i < c->count; i++)
        if (c->v[i].nid == nid) return &c->v[i];
    return NULL;
}

static int cache_add(struct pst_file *file, uint32_t nid, int is_table, struct wc_node **out)
{
    struct pst_writer *w = file->writer;
    struct pst_wcache *c = w->cache;

    if (!c)
    {
        if (!(c = pst_zalloc(file, sizeof(*c)))) return PST_E_NOMEM;
        w->cache = c;
    }
    if (c->count == c->cap)
    {
        uint32_t cap = c->cap ? c->cap * 2 : 16;
        struct wc_node *v = pst_realloc(file, c->v, cap * sizeof(*v));

        if (!v) return PST_E_NOMEM;
        c->v = v;
        c->cap = cap;
    }
    *out = &c->v[c->count++];
    memset(*out, 0, sizeof(**out));
    (*out)->nid = nid;
    (*out)->is_table = is_table;
    return PST_OK;
}

static void cache_drop(struct pst_file *file, uint32_t nid)
{
    struct pst_wcache *c = file->writer->cache;
    struct wc_node *n = cache_find(file, nid);

    if (!n) return;
    wc_node_free(file, n);
    *n = c->v[--c->count];
}

/* The decoded node nid (loaded on first use).  Pointers stay valid until
 * the next cache_get / cache_add. */
static int cache_get(struct pst_file *file, uint32_t nid, int is_table, struct wc_node **out)
{
    struct pst_nbt_entry *e;
    struct wc_node *n;
    int ret;

    if ((n = cache_find(file, nid)))
    {
        *out = n;
        return PST_OK;
    }
    if (!(e = pst_w_node_find(file, nid))) return pst_error(file, PST_E_NOT_FOUND, "node %#x does not exist", nid);
    {
        uint64_t bd = e->bid_data, bs = e->bid_sub;

        if ((ret = cache_add(file, nid, is_table, &n))) return ret;
        if (is_table && !(ret = pst_wtable_load(file, nid, bd, bs, &n->table))) n->table.nid = nid;
        else if (!is_table) ret = pst_wprops_load(file, nid, bd, bs, &n->props);
    }
    if (ret)
    {
        struct pst_wcache *c = file->writer->cache;

        c->count--;
        return ret;
    }
    *out = n;
    return PST_OK;
}

int pst_wcache_flush(struct pst_file *file)
{
    struct pst_wcache *c = file->writer->cache;
    uint32_t i;
    int ret = PST_OK;

    if (!c) return PST_OK;
    for (i = 0; i < c->count && !ret; i++)
    {
        struct wc_node *n = &c->v[i];
        struct pst_wnode_out out;
        struct pst_nbt_entry *e;
        uint64_t bd, bs;
        uint32_t parent;

        if (!n->dirty) continue;
        if (!(e = pst_w_node_find(file, n->nid))) continue;
        parent = e->nid_parent;
        if (n->is_table) ret = pst_w_tc_build_reuse(file, &n->table, &n->matrix_prev, &n->heap_prev, &n->snap, &out);
        else ret = pst_w_pc_build(file, &n->props, SUB_VALUES, 0, &out);
        if (ret) break;
        if (!(ret = pst_w_node_write_reuse(file, &out, NULL, 0, &n->heap_prev, &bd, &bs)))
            ret = pst_w_node_set(file, n->nid, bd, bs, parent);
        pst_wnode_out_free(file, &out);
        n->dirty = 0;
    }
    /* The cache stays: after the commit it equals the committed state, so
     * the next transaction neither decodes the folder's tables again nor
     * rewrites their unchanged blocks.  pst_abort drops it (it may hold
     * the aborted transaction's changes and BIDs). */
    return ret;
}

/* -------------------------------------------------------------- helpers -- */

static int props_from_set(struct pst_file *file, struct pst_wprops *props, const struct pst_propset *set)
{
    uint32_t i;
    int ret;

    if (!set) return PST_OK;
    if (set->count && !set->props) return PST_E_INVALID_ARG;
    for (i = 0; i < set->count; i++)
    {
        if (PST_PROP_TYPE(set->props[i].tag) == PST_PT_OBJECT || !PST_PROP_ID(set->props[i].tag)) return PST_E_INVALID_ARG;
        if ((ret = pst_wprops_set_value(file, props, &set->props[i]))) return ret;
    }
    return PST_OK;
}

static uint32_t sibling(uint32_t nid, unsigned int type)
{
    return PST_NID_MAKE(PST_NID_INDEX(nid), type);
}

static int is_folder(uint32_t nid)
{
    return PST_NID_TYPE(nid) == PST_NID_TYPE_NORMAL_FOLDER;
}

/* Writes a table node from a column spec, with no rows. */
static int write_table(struct pst_file *file, uint32_t nid, const struct pst_wtable *t, uint32_t parent)
{
    struct pst_wnode_out out;
    uint64_t bd, bs;
    int ret;

    if ((ret = pst_w_tc_build(file, t, &out))) return ret;
    if (!(ret = pst_w_node_write(file, &out, NULL, 0, &bd, &bs))) ret = pst_w_node_set(file, nid, bd, bs, parent);
    pst_wnode_out_free(file, &out);
    return ret;
}

static int write_spec_table(struct pst_file *file, uint32_t nid, const char *spec)
{
    struct pst_wtable t;
    int ret;

    if ((ret = parse_cols(file, spec, &t))) return ret;
    ret = write_table(file, nid, &t, 0);
    pst_wtable_free(file, &t);
    return ret;
}

/* An empty folder table: Outlook shares the template's block. */
static int write_folder_table(struct pst_file *file, uint32_t nid, uint32_t template_nid, const char *spec)
{
    struct pst_nbt_entry *tmpl = pst_w_node_find(file, template_nid);

    if (tmpl && tmpl->bid_data && !tmpl->bid_sub) return pst_w_node_set(file, nid, tmpl->bid_data, 0, 0);
    return write_spec_table(file, nid, spec);
}

static int write_raw(struct pst_file *file, uint32_t nid, const char *hex, uint32_t parent)
{
    uint8_t *data;
    size_t size;
    uint64_t bid = 0;
    int ret;

    if (!hex) return pst_w_node_set(file, nid, 0, 0, parent);
    if ((ret = unhex(file, hex, &data, &size))) return ret;
    if (!(ret = pst_w_stream_write(file, data, size, &bid))) ret = pst_w_node_set(file, nid, bid, 0, parent);
    pst_free(file, data);
    return ret;
}

/* The folder's row in its parent's hierarchy table follows its PC. */
static int folder_row_update(struct pst_file *file, uint32_t nid)
{
    struct pst_nbt_entry *e = pst_w_node_find(file, nid);
    struct wc_node *pc, *ht;
    uint32_t parent;
    int ret;

    if (!e) return PST_E_NOT_FOUND;
    parent = e->nid_parent;
    if (parent == nid || !parent || !pst_w_node_find(file, sibling(parent, PST_NID_TYPE_HIERARCHY_TABLE)))
        return PST_OK;
    if ((ret = cache_get(file, nid, 0, &pc))) return ret;
    {
        struct pst_wprops copy;

        if ((ret = pst_wprops_copy(file, &copy, &pc->props))) return ret;
        if (!(ret = cache_get(file, sibling(parent, PST_NID_TYPE_HIERARCHY_TABLE), 1, &ht)))
        {
            ret = pst_wtable_set_row(file, &ht->table, nid, &copy, 0);
            ht->dirty = 1;
        }
        pst_wprops_free(file, &copy);
    }
    return ret;
}

/* Adds delta to a count property of a folder PC. */
static int folder_count(struct pst_file *file, uint32_t folder, uint32_t tag, int delta, int only_if_present)
{
    struct wc_node *pc;
    int32_t v = 0;
    int ret;

    if (!delta) return PST_OK;
    if ((ret = cache_get(file, folder, 0, &pc))) return ret;
    if (!pst_wprops_get_long(&pc->props, tag, &v) && only_if_present) return PST_OK;
    v += delta;
    if (v < 0) v = 0;
    pc->dirty = 1;
    return pst_wprops_set_long(file, &pc->props, tag, (uint32_t)v);
}

static int count_children(struct pst_file *file, uint32_t parent, unsigned int type1, unsigned int type2)
{
    struct pst_writer *w = file->writer;
    uint32_t i;
    int n = 0;

    for (i = 0; i < w->nbt_count; i++)
    {
        unsigned int t = PST_NID_TYPE(w->nbt[i].nid);

        if (w->nbt[i].nid_parent == parent && w->nbt[i].nid != parent && (t == type1 || t == type2)) n++;
    }
    return n;
}

static int folder_subfolders_update(struct pst_file *file, uint32_t folder)
{
    struct wc_node *pc;
    int32_t old = -1;
    int has = count_children(file, folder, PST_NID_TYPE_NORMAL_FOLDER, PST_NID_TYPE_SEARCH_FOLDER) > 0, ret;

    if ((ret = cache_get(file, folder, 0, &pc))) return ret;
    if (pst_wprops_get_long(&pc->props, PR_SUBFOLDERS, &old) && !!old == has) return PST_OK;
    pc->dirty = 1;
    if ((ret = pst_wprops_set_long(file, &pc->props, PR_SUBFOLDERS, has))) return ret;
    return folder_row_update(file, folder);
}

/* Creates the four nodes of a folder and its row in the parent. */
static int folder_make(struct pst_file *file, uint32_t nid, uint32_t parent, struct pst_wprops *props)
{
    struct wc_node *pc;
    int ret;

    pst_wprops_remove(file, props, PR_CONTENT_COUNT);
    pst_wprops_remove(file, props, PR_CONTENT_UNREAD);
    pst_wprops_remove(file, props, PR_SUBFOLDERS);
    if ((ret = pst_wprops_set_long(file, props, PR_CONTENT_COUNT, 0))
            || (ret = pst_wprops_set_long(file, props, PR_CONTENT_UNREAD, 0))
            || (ret = pst_wprops_set_long(file, props, PR_SUBFOLDERS, 0)))
        return ret;
    /* the caller may ask for an FAI count; its value is the engine's */
    if (pst_wprops_find(props, PR_ASSOC_CONTENT_COUNT)
            && (ret = pst_wprops_set_long(file, props, PR_ASSOC_CONTENT_COUNT, 0)))
        return ret;
    if ((ret = pst_w_node_set(file, nid, 0, 0, parent))) return ret;
    if ((ret = cache_add(file, nid, 0, &pc))) return ret;
    pc->props = *props;
    memset(props, 0, sizeof(*props));
    pc->dirty = 1;
    if ((ret = write_folder_table(file, sibling(nid, PST_NID_TYPE_HIERARCHY_TABLE), 0x60d, cols_hier))
            || (ret = write_folder_table(file, sibling(nid, PST_NID_TYPE_CONTENTS_TABLE), 0x60e, cols_contents))
            || (ret = write_folder_table(file, sibling(nid, PST_NID_TYPE_ASSOC_CONTENTS_TABLE), 0x60f, cols_fai)))
        return ret;
    if (parent == nid) return PST_OK;
    if ((ret = folder_row_update(file, nid))) return ret;
    return folder_subfolders_update(file, parent);
}

static int new_folder_nid(struct pst_file *file, uint32_t *nid)
{
    struct pst_writer *w = file->writer;
    uint32_t index = w->rgnid[PST_NID_TYPE_NORMAL_FOLDER];
    unsigned int t;

    for (t = PST_NID_TYPE_HIERARCHY_TABLE; t <= PST_NID_TYPE_ASSOC_CONTENTS_TABLE; t++)
        if (w->rgnid[t] > index) index = w->rgnid[t];
    if (++index >= 1u << 27) return PST_E_TOO_BIG;
    *nid = PST_NID_MAKE(index, PST_NID_TYPE_NORMAL_FOLDER);
    return PST_OK;
}

/* ------------------------------------------------------------ name map -- */

static const uint8_t *map_value(struct wc_node *map, uint32_t tag, uint32_t *size)
{
    const struct pst_wprop *v = pst_wprops_find(&map->props, tag);

    *size = v ? v->size : 0;
    return v ? v->data : NULL;
}

static int append_value(struct pst_file *file, struct wc_node *map, uint32_t tag, const uint8_t *data, size_t size)
{
    uint32_t old_size;
    const uint8_t *old = map_value(map, tag, &old_size);
    uint8_t *buf;
    int ret;

    if (!(buf = pst_alloc(file, old_size + size + 1))) return PST_E_NOMEM;
    if (old_size) memcpy(buf, old, old_size);
    memcpy(buf + old_size, data, size);
    ret = pst_wprops_set(file, &map->props, tag, buf, old_size + size);
    pst_free(file, buf);
    return ret;
}

/* Adds a record to the hash bucket of (hash, guid field). */
static int map_bucket_add(struct pst_file *file, struct wc_node *map, uint32_t hash, uint16_t field, uint16_t idx)
{
    int32_t buckets = 251;
    uint8_t rec[8];

    pst_wprops_get_long(&map->props, 0x00010003, &buckets);
    if (buckets <= 0) buckets = 251;
    pst_wr32(rec, hash);
    rec[4] = (uint8_t)field;
    rec[5] = (uint8_t)(field >> 8);
    rec[6] = (uint8_t)idx;
    rec[7] = (uint8_t)(idx >> 8);
    return append_value(file, map, PST_PROP_TAG(0x1000 + (hash ^ field) % (uint32_t)buckets, PST_PT_BINARY), rec, 8);
}

static int map_find(struct wc_node *map, const struct pst_name *name, uint16_t *prop_id)
{
    uint32_t nentries, nguids, nstrings, i;
    const uint8_t *entries = map_value(map, 0x00030102, &nentries), *guids = map_value(map, 0x00020102, &nguids);
    const uint8_t *strings = map_value(map, 0x00040102, &nstrings);

    for (i = 0; i + 8 <= nentries; i += 8)
    {
        uint32_t id = pst_rd32(entries + i);
        uint16_t field = pst_rd16(entries + i + 4), g = field >> 1;
        const uint8_t *guid = g == 1 ? ps_mapi : g == 2 ? ps_public_strings
                              : (g >= 3 && (g - 3u) * 16 + 16 <= nguids) ? guids + (g - 3) * 16 : NULL;

        if (!guid || memcmp(guid, name->guid, 16) || (field & 1) != (name->kind == PST_NAME_STRING)) continue;
        if (name->kind == PST_NAME_ID && id != name->lid) continue;
        if (name->kind == PST_NAME_STRING)
        {
            if ((uint64_t)id + 4 > nstrings || pst_rd32(strings + id) != name->name_size
                    || (uint64_t)id + 4 + name->name_size > nstrings || memcmp(strings + id + 4, name->name, name->name_size))
                continue;
        }
        *prop_id = 0x8000 + pst_rd16(entries + i + 6);
        return 1;
    }
    return 0;
}

static int map_add(struct pst_file *file, struct wc_node *map, const struct pst_name *name, uint16_t *prop_id)
{
    uint32_t nentries, nguids, nstrings, i, id, hash;
    const uint8_t *guids = map_value(map, 0x00020102, &nguids);
    uint16_t g = 0, field, idx;
    uint8_t rec[8];
    int ret;

    map_value(map, 0x00030102, &nentries);
    map_value(map, 0x00040102, &nstrings);
    if (nentries / 8 >= 0x7fff) return PST_E_TOO_BIG;
    idx = (uint16_t)(nentries / 8);
    if (!memcmp(name->guid, ps_mapi, 16)) g = 1;
    else if (!memcmp(name->guid, ps_public_strings, 16)) g = 2;
    else
    {
        for (i = 0; i + 16 <= nguids; i += 16)
            if (!memcmp(guids + i, name->guid, 16)) g = (uint16_t)(3 + i / 16);
        if (!g)
        {
            g = (uint16_t)(3 + nguids / 16);
            if ((ret = append_value(file, map, 0x00020102, name->guid, 16))) return ret;
        }
    }
    field = (uint16_t)(g << 1 | (name->kind == PST_NAME_STRING));
    if (name->kind == PST_NAME_STRING)
    {
        static const uint8_t pad[4];
        uint8_t len[4];

        if (!name->name_size || name->name_size % 2 || !name->name) return PST_E_INVALID_ARG;
        id = nstrings;
        pst_wr32(len, (uint32_t)name->name_size);
        if ((ret = append_value(file, map, 0x00040102, len, 4))
                || (ret = append_value(file, map, 0x00040102, name->name, name->name_size)))
            return ret;
        if (name->name_size % 4 && (ret = append_value(file, map, 0x00040102, pad, 4 - name->name_size % 4))) return ret;
        hash = pst_crc32(0, name->name, name->name_size);
    }
    else hash = id = name->lid;
    pst_wr32(rec, id);
    rec[4] = (uint8_t)field;
    rec[5] = (uint8_t)(field >> 8);
    rec[6] = (uint8_t)idx;
    rec[7] = (uint8_t)(idx >> 8);
    if ((ret = append_value(file, map, 0x00030102, rec, 8))) return ret;
    if ((ret = map_bucket_add(file, map, hash, field, idx))) return ret;
    map->dirty = 1;
    *prop_id = (uint16_t)(0x8000 + idx);
    return PST_OK;
}

int pst_namemap_add(struct pst_file *file, const struct pst_name *name, uint16_t *prop_id)
{
    struct wc_node *map;
    int ret;

    TRACE("%p %p\n", file, name);
    if ((ret = pst_w_check(file))) return ret;
    if (!name || !prop_id || (name->kind != PST_NAME_ID && name->kind != PST_NAME_STRING)) return PST_E_INVALID_ARG;
    if ((ret = cache_get(file, PST_NID_NAME_TO_ID_MAP, 0, &map))) return pst_w_fail(file, ret);
    if (map_find(map, name, prop_id)) return PST_OK;
    return pst_w_fail(file, map_add(file, map, name, prop_id));
}

/* Outlook's 35 predefined names, with the hash buckets rebuilt from them. */
static int write_name_map(struct pst_file *file)
{
    struct wc_node *map;
    uint8_t *data;
    size_t size, i;
    int ret;

    if ((ret = pst_w_node_set(file, PST_NID_NAME_TO_ID_MAP, 0, 0, 0))) return ret;
    if ((ret = cache_add(file, PST_NID_NAME_TO_ID_MAP, 0, &map))) return ret;
    map->dirty = 1;
    if ((ret = pst_wprops_set_long(file, &map->props, 0x00010003, 251))) return ret;
    if ((ret = unhex(file, nm_guids, &data, &size))) return ret;
    ret = pst_wprops_set(file, &map->props, 0x00020102, data, size);
    pst_free(file, data);
    if (ret || (ret = unhex(file, nm_strings, &data, &size))) return ret;
    ret = pst_wprops_set(file, &map->props, 0x00040102, data, size);
    pst_free(file, data);
    if (ret || (ret = unhex(file, nm_entries, &data, &size))) return ret;
    if (!(ret = pst_wprops_set(file, &map->props, 0x00030102, data, size)))
    {
        for (i = 0; i + 8 <= size && !ret; i += 8)
        {
            /* found again each time: adding to a bucket moves the list */
            const struct pst_wprop *strings = pst_wprops_find(&map->props, 0x00040102);
            uint32_t id = pst_rd32(data + i), hash = id;
            uint16_t field = pst_rd16(data + i + 4);

            if ((field & 1) && id + 4 <= strings->size && id + 4 + pst_rd32(strings->data + id) <= strings->size)
                hash = pst_crc32(0, strings->data + id + 4, pst_rd32(strings->data + id));
            ret = map_bucket_add(file, map, hash, field, pst_rd16(data + i + 6));
        }
    }
    pst_free(file, data);
    return ret;
}

/* ------------------------------------------------------------- messages -- */

static uint64_t out_size(const struct pst_wnode_out *out)
{
    uint64_t total = 0;
    uint32_t i;

    for (i = 0; i < out->nblocks; i++) total += out->sizes[i];
    return total;
}

struct built
{
    struct pst_subnode *subs;
    uint32_t count, cap;
    uint64_t size;               /* data bytes of these subnodes */
};

static int built_add(struct pst_file *file, struct built *b, uint32_t nid, uint64_t bid_data, uint64_t bid_sub)
{
    uint64_t size;
    int ret;

    if (b->count == b->cap)
    {
        uint32_t cap = b->cap ? b->cap * 2 : 8;
        struct pst_subnode *s = pst_realloc(file, b->subs, cap * sizeof(*s));

        if (!s) return PST_E_NOMEM;
        b->subs = s;
        b->cap = cap;
    }
    b->subs[b->count].nid = nid;
    b->subs[b->count].bid_data = bid_data;
    b->subs[b->count].bid_sub = bid_sub;
    b->count++;
    if ((ret = pst_w_tree_size(file, bid_data, bid_sub, &size))) return ret;
    b->size += size;
    return PST_OK;
}

/* Drops the references a failed build made no one take over. */
static void built_release(struct pst_file *file, struct built *b)
{
    pst_free(file, b->subs);
    memset(b, 0, sizeof(*b));
}

/* Writes a PC whose size property (size_tag) counts the PC itself and the
 * subnodes in extra; returns the node's blocks and total size. */
static int write_sized_pc(struct pst_file *file, struct pst_wprops *props, uint32_t size_tag, struct built *extra,
                          uint64_t *bid_data, uint64_t *bid_sub, uint64_t *total)
{
    struct pst_wnode_out out;
    uint64_t values = 0, heap;
    uint32_t i;
    int ret;

    /* The size property is inline (PT_LONG), so its value does not change
     * the heap: measure with a placeholder, then set it. */
    if ((ret = pst_wprops_set_long(file, props, size_tag, 0))) return ret;
    for (i = 0; i < props->count; i++)
    {
        unsigned int fixed = pst_type_fixed_size(PST_PROP_TYPE(props->v[i].tag));

        if (!(fixed && fixed <= 4) && props->v[i].size > 3580) values += props->v[i].size;
    }
    if ((ret = pst_w_pc_build(file, props, SUB_VALUES, 1, &out))) return ret;
    heap = out_size(&out);
    pst_wnode_out_free(file, &out);
    *total = heap + values + extra->size;
    if ((ret = pst_wprops_set_long(file, props, size_tag, (uint32_t)(*total > 0x7fffffff ? 0x7fffffff : *total))))
        return ret;
    if ((ret = pst_w_pc_build(file, props, SUB_VALUES, 0, &out))) return ret;
    ret = pst_w_node_write(file, &out, extra->subs, extra->count, bid_data, bid_sub);
    pst_wnode_out_free(file, &out);
    return ret;
}

static int write_message(struct pst_file *file, const struct pst_message_data *msg, struct pst_wprops *props,
                         uint64_t *bid_data, uint64_t *bid_sub, uint64_t *total, int depth);

static int write_attachment(struct pst_file *file, const struct pst_attachment_data *att, uint32_t num,
                            struct pst_wprops *props, uint64_t *bid_data, uint64_t *bid_sub, int depth)
{
    struct built extra = {0};
    uint64_t size;
    int32_t pos;
    int ret;

    if ((ret = props_from_set(file, props, &att->props))) return ret;
    if ((ret = pst_wprops_set_long(file, props, PR_ATTACH_NUM, num))) return ret;
    if (!pst_wprops_get_long(props, PR_RENDERING_POSITION, &pos)
            && (ret = pst_wprops_set_long(file, props, PR_RENDERING_POSITION, 0xffffffff)))
        return ret;
    if (att->embedded)
    {
        struct pst_wprops eprops = {0};
        uint64_t ebd, ebs, esize;
        uint32_t enid = PST_NID_MAKE(1, PST_NID_TYPE_NORMAL_MESSAGE);
        uint8_t obj[8];

        ret = write_message(file, att->embedded, &eprops, &ebd, &ebs, &esize, depth + 1);
        pst_wprops_free(file, &eprops);
        if (!ret) ret = built_add(file, &extra, enid, ebd, ebs);
        pst_wr32(obj, enid);
        pst_wr32(obj + 4, (uint32_t)esize);
        if (!ret) ret = pst_wprops_set(file, props, PST_PR_ATTACH_DATA_OBJ, obj, 8);
        if (ret)
        {
            built_release(file, &extra);
            return ret;
        }
    }
    ret = write_sized_pc(file, props, PR_ATTACH_SIZE, &extra, bid_data, bid_sub, &size);
    built_release(file, &extra);
    return ret;
}

/* A message tree: PC plus recipient table, attachment table, attachments.
 * props receives the final property list (for the contents row). */
static int write_message(struct pst_file *file, const struct pst_message_data *msg, struct pst_wprops *props,
                         uint64_t *bid_data, uint64_t *bid_sub, uint64_t *total, int depth)
{
    struct built extra = {0};
    struct pst_wtable t;
    uint32_t i, k;
    int32_t flags = 0;
    int ret, have_flags;

    if (depth > 8) return PST_E_INVALID_ARG;
    if ((msg->recipient_count && !msg->recipients) || (msg->attachment_count && !msg->attachments))
        return PST_E_INVALID_ARG;
    if ((ret = props_from_set(file, props, &msg->props))) return ret;
    pst_wprops_remove(file, props, PR_MESSAGE_SIZE);
    have_flags = pst_wprops_get_long(props, PR_MESSAGE_FLAGS, &flags);
    if (msg->attachment_count) flags |= MSGFLAG_HASATTACH;
    else flags &= ~MSGFLAG_HASATTACH;
    if ((have_flags || msg->attachment_count) && (ret = pst_wprops_set_long(file, props, PR_MESSAGE_FLAGS, (uint32_t)flags)))
        return ret;
    if ((ret = pst_wprops_set_long(file, props, PR_HASATTACH, msg->attachment_count > 0))) return ret;

    /* recipients: every property is a column */
    if ((ret = parse_cols(file, cols_recip, &t))) return ret;
    for (i = 0; i < msg->recipient_count && !ret; i++)
    {
        struct pst_wprops rp = {0};
        int32_t rowid = (int32_t)i;

        if (!(ret = props_from_set(file, &rp, &msg->recipients[i])))
        {
            pst_wprops_get_long(&rp, PR_ROWID, &rowid);
            for (k = 0; k < rp.count && !ret; k++) ret = pst_wtable_add_column(file, &t, rp.v[k].tag);
            if (!ret && pst_wtable_find_row(&t, (uint32_t)rowid) >= 0) ret = PST_E_INVALID_ARG;
            if (!ret) ret = pst_wtable_set_row(file, &t, (uint32_t)rowid, &rp, 0);
        }
        pst_wprops_free(file, &rp);
    }
    if (!ret)
    {
        struct pst_wnode_out out;
        uint64_t bd, bs;

        if (!(ret = pst_w_tc_build(file, &t, &out)))
        {
            if (!(ret = pst_w_node_write(file, &out, NULL, 0, &bd, &bs)))
                ret = built_add(file, &extra, PST_NID_RECIPIENT_TABLE, bd, bs);
            pst_wnode_out_free(file, &out);
        }
    }
    pst_wtable_free(file, &t);

    /* attachments */
    if (!ret && msg->attachment_count)
    {
        if ((ret = parse_cols(file, cols_attach, &t))) goto done;
        for (i = 0; i < msg->attachment_count && !ret; i++)
        {
            struct pst_wprops ap = {0};
            uint64_t bd, bs;
            uint32_t anid = PST_NID_MAKE(SUB_ATTACH + i, PST_NID_TYPE_ATTACHMENT);

            if (!(ret = write_attachment(file, &msg->attachments[i], i, &ap, &bd, &bs, depth)))
            {
                if (!(ret = built_add(file, &extra, anid, bd, bs))) ret = pst_wtable_set_row(file, &t, anid, &ap, 0);
            }
            pst_wprops_free(file, &ap);
        }
        if (!ret)
        {
            struct pst_wnode_out out;
            uint64_t bd, bs;

            if (!(ret = pst_w_tc_build(file, &t, &out)))
            {
                if (!(ret = pst_w_node_write(file, &out, NULL, 0, &bd, &bs)))
                    ret = built_add(file, &extra, PST_NID_ATTACHMENT_TABLE, bd, bs);
                pst_wnode_out_free(file, &out);
            }
        }
        pst_wtable_free(file, &t);
    }
    if (!ret) ret = write_sized_pc(file, props, PR_MESSAGE_SIZE, &extra, bid_data, bid_sub, total);
done:
    built_release(file, &extra);
    return ret;
}

static uint32_t contents_table(uint32_t folder, uint32_t msg)
{
    return sibling(folder, PST_NID_TYPE(msg) == PST_NID_TYPE_ASSOC_MESSAGE ? PST_NID_TYPE_ASSOC_CONTENTS_TABLE
                                                                          : PST_NID_TYPE_CONTENTS_TABLE);
}

static int is_unread(const struct pst_wprops *props)
{
    int32_t flags;

    return pst_wprops_get_long(props, PR_MESSAGE_FLAGS, &flags) && !(flags & MSGFLAG_READ);
}

/* Adds (sign 1) or removes (-1) a message's share of its folder's counts. */
static int folder_account(struct pst_file *file, uint32_t folder, uint32_t msg, const struct pst_wprops *props, int sign)
{
    int ret;

    if (PST_NID_TYPE(msg) == PST_NID_TYPE_ASSOC_MESSAGE)
        ret = folder_count(file, folder, PR_ASSOC_CONTENT_COUNT, sign, 1);
    else if (!(ret = folder_count(file, folder, PR_CONTENT_COUNT, sign, 0)) && is_unread(props))
        ret = folder_count(file, folder, PR_CONTENT_UNREAD, sign, 0);
    if (ret) return ret;
    return folder_row_update(file, folder);
}

static int load_message_props(struct pst_file *file, uint32_t nid, struct pst_wprops *props)
{
    struct pst_nbt_entry *e = pst_w_node_find(file, nid);

    if (!e) return PST_E_NOT_FOUND;
    return pst_wprops_load(file, nid, e->bid_data, e->bid_sub, props);
}

static int is_message(uint32_t nid)
{
    return PST_NID_TYPE(nid) == PST_NID_TYPE_NORMAL_MESSAGE || PST_NID_TYPE(nid) == PST_NID_TYPE_ASSOC_MESSAGE;
}

int pst_message_save(struct pst_file *file, uint32_t folder, int assoc, const struct pst_message_data *msg, uint32_t *nid)
{
    struct pst_wprops props = {0}, old = {0};
    struct pst_nbt_entry *e;
    struct wc_node *ct;
    uint64_t bd, bs, total;
    uint32_t id;
    int ret;

    TRACE("%p %#x %d %p %p\n", file, folder, assoc, msg, nid);
    if ((ret = pst_w_check(file))) return ret;
    if (!msg || !nid || !is_folder(folder) || !pst_w_node_find(file, folder)) return PST_E_INVALID_ARG;
    if (*nid)
    {
        if (!is_message(*nid) || !(e = pst_w_node_find(file, *nid)) || e->nid_parent != folder) return PST_E_INVALID_ARG;
        id = *nid;
        if ((ret = load_message_props(file, id, &old))) return pst_w_fail(file, ret);
    }
    else
    {
        id = pst_w_new_nid(file, assoc ? PST_NID_TYPE_ASSOC_MESSAGE : PST_NID_TYPE_NORMAL_MESSAGE);
    }
    ret = write_message(file, msg, &props, &bd, &bs, &total, 0);
    if (!ret && *nid) ret = folder_account(file, folder, id, &old, -1);
    if (!ret) ret = pst_w_node_set(file, id, bd, bs, folder);
    if (!ret && !(ret = cache_get(file, contents_table(folder, id), 1, &ct)))
    {
        ct->dirty = 1;
        ret = pst_wtable_set_row(file, &ct->table, id, &props, 0);
    }
    if (!ret) ret = folder_account(file, folder, id, &props, 1);
    pst_wprops_free(file, &props);
    pst_wprops_free(file, &old);
    if (!ret) *nid = id;
    return pst_w_fail(file, ret);
}

struct keep_ctx
{
    struct pst_file *file;
    struct built *b;
};

static int keep_cb(void *ctx, const struct pst_subnode *s)
{
    struct keep_ctx *c = ctx;

    if (PST_NID_TYPE(s->nid) == PST_NID_TYPE_LTP) return PST_OK;
    return built_add(c->file, c->b, s->nid, s->bid_data, s->bid_sub);
}

int pst_message_set_props(struct pst_file *file, uint32_t nid, const struct pst_propset *set,
                          const uint32_t *remove_tags, uint32_t remove_count)
{
    struct pst_wprops props = {0}, old = {0};
    struct pst_nbt_entry *e;
    struct built extra = {0};
    struct keep_ctx kc;
    struct wc_node *ct;
    uint64_t bd, bs, total, old_sub;
    uint32_t folder, i;
    int ret;

    TRACE("%p %#x\n", file, nid);
    if ((ret = pst_w_check(file))) return ret;
    if (!is_message(nid) || !(e = pst_w_node_find(file, nid)) || (remove_count && !remove_tags)) return PST_E_INVALID_ARG;
    folder = e->nid_parent;
    old_sub = e->bid_sub;
    if ((ret = load_message_props(file, nid, &props))) return pst_w_fail(file, ret);
    if ((ret = pst_wprops_copy(file, &old, &props))) goto done;
    if ((ret = props_from_set(file, &props, set))) goto done;
    for (i = 0; i < remove_count; i++)
        if (remove_tags[i] != PR_MESSAGE_SIZE) pst_wprops_remove(file, &props, remove_tags[i]);
    /* keep recipients and attachments; large values are rewritten */
    kc.file = file;
    kc.b = &extra;
    if ((ret = pst_subnode_foreach(file, old_sub, keep_cb, &kc))) goto done;
    if ((ret = write_sized_pc(file, &props, PR_MESSAGE_SIZE, &extra, &bd, &bs, &total))) goto done;
    if ((ret = folder_account(file, folder, nid, &old, -1))) goto done;
    if ((ret = pst_w_node_set(file, nid, bd, bs, folder))) goto done;
    if ((ret = cache_get(file, contents_table(folder, nid), 1, &ct))) goto done;
    ct->dirty = 1;
    if ((ret = pst_wtable_set_row(file, &ct->table, nid, &props, 0))) goto done;
    ret = folder_account(file, folder, nid, &props, 1);
done:
    built_release(file, &extra);
    pst_wprops_free(file, &props);
    pst_wprops_free(file, &old);
    return pst_w_fail(file, ret);
}

static int message_remove(struct pst_file *file, uint32_t nid, int keep_node, uint32_t new_folder)
{
    struct pst_wprops props = {0};
    struct pst_nbt_entry *e = pst_w_node_find(file, nid);
    struct wc_node *ct;
    uint32_t folder;
    int ret;

    if (!e) return PST_E_INVALID_ARG;
    folder = e->nid_parent;
    if ((ret = load_message_props(file, nid, &props))) return ret;
    if (!(ret = cache_get(file, contents_table(folder, nid), 1, &ct)))
    {
        ct->dirty = 1;
        pst_wtable_delete_row(file, &ct->table, nid);
        ret = folder_account(file, folder, nid, &props, -1);
    }
    if (!ret && !keep_node) ret = pst_w_node_delete(file, nid);
    if (!ret && keep_node)
    {
        e = pst_w_node_find(file, nid);
        if (!(ret = pst_w_node_set(file, nid, e->bid_data, e->bid_sub, new_folder))
                && !(ret = cache_get(file, contents_table(new_folder, nid), 1, &ct)))
        {
            ct->dirty = 1;
            if (!(ret = pst_wtable_set_row(file, &ct->table, nid, &props, 0)))
                ret = folder_account(file, new_folder, nid, &props, 1);
        }
    }
    pst_wprops_free(file, &props);
    return ret;
}

int pst_message_delete(struct pst_file *file, uint32_t nid)
{
    int ret;

    TRACE("%p %#x\n", file, nid);
    if ((ret = pst_w_check(file))) return ret;
    if (!is_message(nid) || !pst_w_node_find(file, nid)) return PST_E_INVALID_ARG;
    return pst_w_fail(file, message_remove(file, nid, 0, 0));
}

int pst_message_move(struct pst_file *file, uint32_t nid, uint32_t new_folder)
{
    struct pst_nbt_entry *e;
    int ret;

    TRACE("%p %#x %#x\n", file, nid, new_folder);
    if ((ret = pst_w_check(file))) return ret;
    if (!is_message(nid) || !(e = pst_w_node_find(file, nid)) || !is_folder(new_folder)
            || !pst_w_node_find(file, new_folder))
        return PST_E_INVALID_ARG;
    if (e->nid_parent == new_folder) return PST_OK;
    return pst_w_fail(file, message_remove(file, nid, 1, new_folder));
}

/* -------------------------------------------------------------- folders -- */

static int is_protected_folder(uint32_t nid)
{
    return nid == PST_NID_ROOT_FOLDER || nid == NID_IPM_SUBTREE || nid == NID_SEARCH_ROOT
           || nid == NID_DELETED_ITEMS || nid == NID_COMMON_VIEWS;
}

int pst_folder_create(struct pst_file *file, uint32_t parent, const struct pst_propset *set, uint32_t *nid)
{
    struct pst_wprops props = {0};
    uint32_t id;
    int ret;

    TRACE("%p %#x %p\n", file, parent, nid);
    if ((ret = pst_w_check(file))) return ret;
    if (!nid || !is_folder(parent) || !pst_w_node_find(file, parent)) return PST_E_INVALID_ARG;
    if ((ret = props_from_set(file, &props, set)))
    {
        pst_wprops_free(file, &props);
        return ret == PST_E_INVALID_ARG ? ret : pst_w_fail(file, ret);
    }
    if (!pst_wprops_find(&props, PR_DISPLAY_NAME_W))
    {
        pst_wprops_free(file, &props);
        return PST_E_INVALID_ARG;
    }
    if (!(ret = new_folder_nid(file, &id))) ret = folder_make(file, id, parent, &props);
    pst_wprops_free(file, &props);
    if (!ret) *nid = id;
    return pst_w_fail(file, ret);
}

int pst_folder_set_props(struct pst_file *file, uint32_t nid, const struct pst_propset *set,
                         const uint32_t *remove_tags, uint32_t remove_count)
{
    struct wc_node *pc;
    struct pst_wprops props = {0};
    uint32_t i;
    int ret;

    TRACE("%p %#x\n", file, nid);
    if ((ret = pst_w_check(file))) return ret;
    if ((PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_FOLDER && PST_NID_TYPE(nid) != PST_NID_TYPE_SEARCH_FOLDER)
            || !pst_w_node_find(file, nid) || (remove_count && !remove_tags))
        return PST_E_INVALID_ARG;
    if ((ret = props_from_set(file, &props, set))) goto done;
    if ((ret = cache_get(file, nid, 0, &pc))) goto done;
    for (i = 0; i < props.count && !ret; i++)
    {
        uint32_t tag = props.v[i].tag;

        if (tag == PR_CONTENT_COUNT || tag == PR_CONTENT_UNREAD || tag == PR_SUBFOLDERS || tag == PR_ASSOC_CONTENT_COUNT)
            continue;
        ret = pst_wprops_set(file, &pc->props, tag, props.v[i].data, props.v[i].size);
    }
    for (i = 0; i < remove_count && !ret; i++)
    {
        uint32_t tag = remove_tags[i];

        if (tag == PR_CONTENT_COUNT || tag == PR_CONTENT_UNREAD || tag == PR_SUBFOLDERS || tag == PR_ASSOC_CONTENT_COUNT)
            continue;
        pst_wprops_remove(file, &pc->props, tag);
    }
    pc->dirty = 1;
    if (!ret) ret = folder_row_update(file, nid);
done:
    pst_wprops_free(file, &props);
    return ret == PST_E_INVALID_ARG ? ret : pst_w_fail(file, ret);
}

static int children(struct pst_file *file, uint32_t parent, uint32_t **out, uint32_t *count)
{
    struct pst_writer *w = file->writer;
    uint32_t i, n = 0;

    *out = NULL;
    *count = 0;
    for (i = 0; i < w->nbt_count; i++)
        if (w->nbt[i].nid_parent == parent && w->nbt[i].nid != parent) n++;
    if (!n) return PST_OK;
    if (!(*out = pst_alloc(file, n * sizeof(**out)))) return PST_E_NOMEM;
    for (i = 0; i < w->nbt_count; i++)
        if (w->nbt[i].nid_parent == parent && w->nbt[i].nid != parent) (*out)[(*count)++] = w->nbt[i].nid;
    return PST_OK;
}

/* Deletes a folder's subtree; the caller fixes the parent. */
static int folder_destroy(struct pst_file *file, uint32_t nid, int depth)
{
    uint32_t *kids, count, i;
    unsigned int t;
    int ret;

    if (depth > 64) return pst_error(file, PST_E_CORRUPT, "folder tree too deep");
    if ((ret = children(file, nid, &kids, &count))) return ret;
    for (i = 0; i < count && !ret; i++)
    {
        if (is_folder(kids[i])) ret = folder_destroy(file, kids[i], depth + 1);
        else if (pst_w_node_find(file, kids[i])) ret = pst_w_node_delete(file, kids[i]);
    }
    pst_free(file, kids);
    if (ret) return ret;
    cache_drop(file, nid);
    if ((ret = pst_w_node_delete(file, nid))) return ret;
    for (t = PST_NID_TYPE_HIERARCHY_TABLE; t <= PST_NID_TYPE_ASSOC_CONTENTS_TABLE; t++)
    {
        cache_drop(file, sibling(nid, t));
        if (pst_w_node_find(file, sibling(nid, t)) && (ret = pst_w_node_delete(file, sibling(nid, t)))) return ret;
    }
    return PST_OK;
}

static int hierarchy_remove_row(struct pst_file *file, uint32_t parent, uint32_t nid)
{
    struct wc_node *ht;
    int ret;

    if (!pst_w_node_find(file, sibling(parent, PST_NID_TYPE_HIERARCHY_TABLE))) return PST_OK;
    if ((ret = cache_get(file, sibling(parent, PST_NID_TYPE_HIERARCHY_TABLE), 1, &ht))) return ret;
    ht->dirty = 1;
    pst_wtable_delete_row(file, &ht->table, nid);
    return PST_OK;
}

int pst_folder_delete(struct pst_file *file, uint32_t nid)
{
    struct pst_nbt_entry *e;
    uint32_t parent;
    int ret;

    TRACE("%p %#x\n", file, nid);
    if ((ret = pst_w_check(file))) return ret;
    if (!is_folder(nid) || is_protected_folder(nid) || !(e = pst_w_node_find(file, nid))) return PST_E_INVALID_ARG;
    parent = e->nid_parent;
    if (!(ret = folder_destroy(file, nid, 0)) && !(ret = hierarchy_remove_row(file, parent, nid)))
        ret = folder_subfolders_update(file, parent);
    return pst_w_fail(file, ret);
}

int pst_folder_move(struct pst_file *file, uint32_t nid, uint32_t new_parent)
{
    struct pst_nbt_entry *e;
    uint32_t old_parent, p;
    int ret, depth;

    TRACE("%p %#x %#x\n", file, nid, new_parent);
    if ((ret = pst_w_check(file))) return ret;
    if (!is_folder(nid) || is_protected_folder(nid) || !is_folder(new_parent) || !(e = pst_w_node_find(file, nid))
            || !pst_w_node_find(file, new_parent))
        return PST_E_INVALID_ARG;
    old_parent = e->nid_parent;
    if (old_parent == new_parent) return PST_OK;
    /* not into its own subtree */
    for (p = new_parent, depth = 0; depth < 64; depth++)
    {
        struct pst_nbt_entry *pe = pst_w_node_find(file, p);

        if (p == nid) return PST_E_INVALID_ARG;
        if (!pe || pe->nid_parent == p) break;
        p = pe->nid_parent;
    }
    if ((ret = pst_w_node_set(file, nid, e->bid_data, e->bid_sub, new_parent))
            || (ret = hierarchy_remove_row(file, old_parent, nid))
            || (ret = folder_subfolders_update(file, old_parent))
            || (ret = folder_row_update(file, nid))
            || (ret = folder_subfolders_update(file, new_parent)))
        return pst_w_fail(file, ret);
    return PST_OK;
}

/* --------------------------------------------------------------- store -- */

static int entryid_prop(struct pst_file *file, struct pst_wprops *props, uint32_t tag, const uint8_t uid[16], uint32_t nid)
{
    uint8_t eid[PST_ENTRYID_SIZE];

    pst_entryid_format(uid, nid, eid);
    return pst_wprops_set(file, props, tag, eid, sizeof(eid));
}

static int string_prop(struct pst_file *file, struct pst_wprops *props, uint32_t tag, const char *ascii)
{
    uint8_t buf[128];
    size_t i, n = strlen(ascii);

    for (i = 0; i < n && i < 64; i++)
    {
        buf[2 * i] = (uint8_t)ascii[i];
        buf[2 * i + 1] = 0;
    }
    return pst_wprops_set(file, props, tag, buf, 2 * i);
}

static int make_folder(struct pst_file *file, uint32_t nid, uint32_t parent, const char *name, const char *comment,
                       const char *container_class)
{
    struct pst_wprops props = {0};
    int ret;

    if (!(ret = string_prop(file, &props, PR_DISPLAY_NAME_W, name))
            && (!comment || !(ret = string_prop(file, &props, PR_COMMENT_W, comment)))
            && (!container_class || !(ret = string_prop(file, &props, PR_CONTAINER_CLASS_W, container_class))))
        ret = folder_make(file, nid, parent, &props);
    pst_wprops_free(file, &props);
    return ret;
}

static int set_pc(struct pst_file *file, uint32_t nid, uint32_t parent, struct pst_wprops *props)
{
    struct wc_node *pc;
    int ret;

    if ((ret = pst_w_node_set(file, nid, 0, 0, parent))) return ret;
    if ((ret = cache_add(file, nid, 0, &pc))) return ret;
    pc->props = *props;
    memset(props, 0, sizeof(*props));
    pc->dirty = 1;
    return PST_OK;
}

int pst_w_create_store(struct pst_file *file, const struct pst_create_params *params)
{
    static const struct { uint32_t nid; const char *spec; } tables[] =
    {
        {0x60d, cols_hier}, {0x60e, cols_contents}, {0x60f, cols_fai}, {0x610, cols_search},
        {0x64c, cols_outgoing}, {0x671, cols_attach}, {0x692, cols_recip}, {0x6b6, cols_6b6},
        {0x6d7, cols_6d7}, {0x6f8, cols_6f8},
    };
    static const struct { uint32_t nid; const char *hex; } raws[] =
    {
        {0x1e1, NULL}, {0x201, raw_201}, {0x261, NULL}, {0xc01, raw_c01}, {0xe01, raw_e01}, {0xe41, NULL},
        {0xec1, NULL}, {0xee1, raw_ee1}, {0xf01, raw_f01}, {0xf21, NULL},
    };
    static const uint8_t store_0e34[] = {0x01, 0, 0, 0, 0x64, 0x6f, 0x41, 0x3e, 0x83, 0xb2, 0xa5, 0x46, 0xbc, 0x5e,
                                         0x84, 0x42, 0x60, 0xf8, 0x6a, 0x5a, 0x01, 0, 0, 0};
    struct pst_wprops props = {0};
    struct pst_wtable t;
    uint8_t uid[16];
    uint32_t inbox, outbox, sent, drafts, i;
    int ret = PST_OK;

    if (params->uid) memcpy(uid, params->uid, 16);
    else pst_w_random(uid, 16);

    for (i = 0; i < sizeof(tables) / sizeof(tables[0]) && !ret; i++) ret = write_spec_table(file, tables[i].nid, tables[i].spec);
    for (i = 0; i < sizeof(raws) / sizeof(raws[0]) && !ret; i++) ret = write_raw(file, raws[i].nid, raws[i].hex, 0);
    if (ret || (ret = write_name_map(file))) return ret;

    /* folders: Outlook's, then the ones a mail program expects */
    if ((ret = make_folder(file, PST_NID_ROOT_FOLDER, PST_NID_ROOT_FOLDER, "", NULL, NULL))
            || (ret = make_folder(file, NID_IPM_SUBTREE, PST_NID_ROOT_FOLDER, "Top of Personal Folders", NULL, NULL))
            || (ret = make_folder(file, NID_SEARCH_ROOT, PST_NID_ROOT_FOLDER, "Search Root", NULL, NULL))
            || (ret = make_folder(file, NID_DELETED_ITEMS, NID_IPM_SUBTREE, "Deleted Items", "Deleted Items folder", "IPF.Note"))
            || (ret = make_folder(file, NID_COMMON_VIEWS, PST_NID_ROOT_FOLDER, "IPM_COMMON_VIEWS", "", NULL)))
        return ret;
    /* the spam search folder and its queue, criteria and contents nodes */
    if ((ret = string_prop(file, &props, PR_DISPLAY_NAME_W, "SPAM Search Folder 2"))
            || (ret = pst_wprops_set_long(file, &props, PR_CONTENT_COUNT, 0))
            || (ret = pst_wprops_set_long(file, &props, PR_CONTENT_UNREAD, 0))
            || (ret = pst_wprops_set_long(file, &props, PR_SUBFOLDERS, 0))
            || (ret = set_pc(file, NID_SPAM_SEARCH, PST_NID_ROOT_FOLDER, &props))
            || (ret = folder_row_update(file, NID_SPAM_SEARCH))
            || (ret = write_raw(file, sibling(NID_SPAM_SEARCH, PST_NID_TYPE_SEARCH_UPDATE_QUEUE), NULL, 0))
            || (ret = pst_wprops_set_long(file, &props, 0x660b0003, 0))
            || (ret = set_pc(file, sibling(NID_SPAM_SEARCH, PST_NID_TYPE_SEARCH_CRITERIA_OBJECT), 0, &props))
            || (ret = write_folder_table(file, sibling(NID_SPAM_SEARCH, PST_NID_TYPE_SEARCH_CONTENTS_TABLE), 0x610, cols_search)))
        goto done;
    if ((ret = new_folder_nid(file, &inbox)) || (ret = make_folder(file, inbox, NID_IPM_SUBTREE, "Inbox", NULL, "IPF.Note"))
            || (ret = new_folder_nid(file, &outbox)) || (ret = make_folder(file, outbox, NID_IPM_SUBTREE, "Outbox", NULL, "IPF.Note"))
            || (ret = new_folder_nid(file, &sent)) || (ret = make_folder(file, sent, NID_IPM_SUBTREE, "Sent Items", NULL, "IPF.Note"))
            || (ret = new_folder_nid(file, &drafts)) || (ret = make_folder(file, drafts, NID_IPM_SUBTREE, "Drafts", NULL, "IPF.Note")))
        goto done;
    {
        struct wc_node *root;

        if ((ret = cache_get(file, PST_NID_ROOT_FOLDER, 0, &root))
                || (ret = entryid_prop(file, &root->props, PR_IPM_DRAFTS_ENTRYID, uid, drafts)))
            goto done;
    }
    /* receive folder table: the default class goes to the Inbox */
    if ((ret = parse_cols(file, cols_receive, &t))) goto done;
    if (!(ret = string_prop(file, &props, 0x001a001f, "")) && !(ret = pst_wprops_set_long(file, &props, 0x66050003, inbox))
            && !(ret = pst_wtable_set_row(file, &t, 1, &props, 0)))
    {
        t.rows[0].ver = 2;
        ret = write_table(file, NID_RECEIVE_FOLDERS, &t, 0);
    }
    pst_wtable_free(file, &t);
    pst_wprops_free(file, &props);
    if (ret) goto done;

    /* the store */
    if ((ret = pst_wprops_set(file, &props, 0x0e340102, store_0e34, sizeof(store_0e34)))
            || (ret = pst_wprops_set_long(file, &props, 0x0e380003, 0))
            || (ret = pst_wprops_set(file, &props, PST_PR_RECORD_KEY, uid, 16))
            || (ret = pst_wprops_set(file, &props, PR_DISPLAY_NAME_W, params->display_name, params->display_name_len * 2))
            || (ret = pst_wprops_set_long(file, &props, 0x35df0003, 0xc9))
            || (ret = entryid_prop(file, &props, PR_IPM_SUBTREE_ENTRYID, uid, NID_IPM_SUBTREE))
            || (ret = entryid_prop(file, &props, PR_IPM_OUTBOX_ENTRYID, uid, outbox))
            || (ret = entryid_prop(file, &props, PR_IPM_WASTEBASKET_ENTRYID, uid, NID_DELETED_ITEMS))
            || (ret = entryid_prop(file, &props, PR_IPM_SENTMAIL_ENTRYID, uid, sent))
            || (ret = entryid_prop(file, &props, PR_COMMON_VIEWS_ENTRYID, uid, NID_COMMON_VIEWS))
            || (ret = entryid_prop(file, &props, PR_FINDER_ENTRYID, uid, NID_SEARCH_ROOT))
            || (ret = pst_wprops_set_long(file, &props, 0x6633000b, 1))
            || (ret = pst_wprops_set_long(file, &props, 0x66fa0003, 917521))
            || (ret = pst_wprops_set_long(file, &props, 0x66fc0003, 1618611))
            || (ret = pst_wprops_set_long(file, &props, PST_PR_PST_PASSWORD, 0))
            || (ret = set_pc(file, PST_NID_MESSAGE_STORE, 0, &props)))
        goto done;
done:
    pst_wprops_free(file, &props);
    return ret;
}

int pst_store_get_folder(struct pst_file *file, enum pst_special_folder which, uint32_t *nid)
{
    struct pst_table *t;
    struct pst_object *obj;
    struct pst_value v;
    uint32_t tag = 0, r;
    int ret;

    TRACE("%p %d %p\n", file, which, nid);
    if (!file || !nid) return PST_E_INVALID_ARG;
    *nid = 0;
    switch (which)
    {
    case PST_FOLDER_ROOT: *nid = PST_NID_ROOT_FOLDER; return PST_OK;
    case PST_FOLDER_IPM_SUBTREE: tag = PR_IPM_SUBTREE_ENTRYID; break;
    case PST_FOLDER_OUTBOX: tag = PR_IPM_OUTBOX_ENTRYID; break;
    case PST_FOLDER_SENT: tag = PR_IPM_SENTMAIL_ENTRYID; break;
    case PST_FOLDER_DELETED: tag = PR_IPM_WASTEBASKET_ENTRYID; break;
    case PST_FOLDER_SEARCH_ROOT: tag = PR_FINDER_ENTRYID; break;
    case PST_FOLDER_DRAFTS:
        if ((ret = pst_folder_open(file, PST_NID_ROOT_FOLDER, &obj))) return ret;
        if (!(ret = pst_prop_get(obj, PR_IPM_DRAFTS_ENTRYID, &v))) ret = pst_entryid_parse(v.bytes, v.size, NULL, nid);
        pst_object_close(obj);
        return ret;
    case PST_FOLDER_INBOX:
        if ((ret = pst_table_open(file, NID_RECEIVE_FOLDERS, &t))) return ret;
        ret = PST_E_NOT_FOUND;
        for (r = 0; r < pst_table_row_count(t); r++)
        {
            if (pst_table_get_cell(t, r, 0x001a001f, &v) || v.size) continue;
            if (!pst_table_get_cell(t, r, 0x66050003, &v))
            {
                *nid = (uint32_t)v.u.l;
                ret = PST_OK;
                break;
            }
        }
        pst_table_close(t);
        return ret;
    default:
        return PST_E_INVALID_ARG;
    }
    return pst_store_get_special_folder(file, tag, nid);
}

/* ------------------------------------------------- store PC, receive folders -- */

int pst_store_set_props(struct pst_file *file, const struct pst_propset *set, const uint32_t *remove_tags,
                        uint32_t remove_count)
{
    struct pst_wprops props = {0};
    struct wc_node *pc;
    uint32_t i;
    int ret;

    TRACE("%p\n", file);
    if ((ret = pst_w_check(file))) return ret;
    if (remove_count && !remove_tags) return PST_E_INVALID_ARG;
    if ((ret = props_from_set(file, &props, set))) goto done;
    if ((ret = cache_get(file, PST_NID_MESSAGE_STORE, 0, &pc))) goto done;
    /* the record key is the UID of every entry ID the store handed out */
    for (i = 0; i < props.count && !ret; i++)
        if (props.v[i].tag != PST_PR_RECORD_KEY)
            ret = pst_wprops_set(file, &pc->props, props.v[i].tag, props.v[i].data, props.v[i].size);
    for (i = 0; i < remove_count && !ret; i++)
        if (remove_tags[i] != PST_PR_RECORD_KEY) pst_wprops_remove(file, &pc->props, remove_tags[i]);
    pc->dirty = 1;
done:
    pst_wprops_free(file, &props);
    return ret == PST_E_INVALID_ARG ? ret : pst_w_fail(file, ret);
}

/* Message classes compare without regard to ASCII case. */
static int class_equal(const uint8_t *a, size_t a_size, const uint16_t *b, size_t b_len)
{
    size_t i;

    if (a_size != b_len * 2) return 0;
    for (i = 0; i < b_len; i++)
    {
        uint16_t x = (uint16_t)(a[2 * i] | a[2 * i + 1] << 8), y = b[i];

        if (x >= 'a' && x <= 'z') x -= 'a' - 'A';
        if (y >= 'a' && y <= 'z') y -= 'a' - 'A';
        if (x != y) return 0;
    }
    return 1;
}

int pst_store_set_receive_folder(struct pst_file *file, const uint16_t *msg_class, size_t len, uint32_t folder_nid)
{
    struct pst_wprops props = {0};
    struct wc_node *t;
    uint32_t r, id = 0, next = 1;
    int ret;

    TRACE("%p %#x\n", file, folder_nid);
    if ((ret = pst_w_check(file))) return ret;
    if ((len && !msg_class) || len > 255) return PST_E_INVALID_ARG;
    if (folder_nid && (PST_NID_TYPE(folder_nid) != PST_NID_TYPE_NORMAL_FOLDER || !pst_w_node_find(file, folder_nid)))
        return PST_E_INVALID_ARG;
    if ((ret = cache_get(file, NID_RECEIVE_FOLDERS, 1, &t))) return pst_w_fail(file, ret);
    if ((ret = pst_wtable_hydrate(file, &t->table))) return pst_w_fail(file, ret);
    if (pst_wtable_find_column(&t->table, 0x001a001f) < 0) return PST_E_UNSUPPORTED;
    for (r = 0; r < t->table.nrows; r++)
    {
        int k = pst_wtable_find_column(&t->table, 0x001a001f);
        const struct pst_wprop *cell = &t->table.rows[r].cells[k];

        if (t->table.rows[r].id >= next) next = t->table.rows[r].id + 1;
        if (cell->tag && class_equal(cell->data, cell->size, msg_class, len)) id = t->table.rows[r].id;
    }
    if (!folder_nid)
    {
        /* the default class always has a folder: the caller picks it */
        if (!len) return PST_E_INVALID_ARG;
        if (id)
        {
            pst_wtable_delete_row(file, &t->table, id);
            t->dirty = 1;
        }
        return PST_OK;
    }
    if (!(ret = pst_wprops_set(file, &props, 0x001a001f, msg_class, len * 2))
            && !(ret = pst_wprops_set_long(file, &props, 0x66050003, folder_nid))
            && !(ret = pst_wtable_set_row(file, &t->table, id ? id : next, &props, 0)))
        t->dirty = 1;
    pst_wprops_free(file, &props);
    return pst_w_fail(file, ret);
}

uint32_t pst_password_crc(const void *text, size_t len)
{
    /* [MS-PST] 2.4.3.3 and 5.3: the CRC-32 of the engine's blocks (initial
     * value 0, no final inversion) over the password's 8-bit characters */
    return len ? pst_crc32(0, text, len) : 0;
}
