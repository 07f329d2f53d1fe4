/*
 * PST engine: messaging layer (store, folders, messages, attachments,
 * named properties, entry IDs)
 *
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * OBJECTS ([MS-PST] 2.4)
 *   store        PC in NID 0x21; PR_RECORD_KEY is the UID of entry IDs.
 *   folder       PC (type 2 or 3) plus hierarchy (0xD), contents (0xE) and
 *                FAI contents (0xF) TCs with the same nidIndex; children are
 *                also found through NBT nidParent links.
 *   message      PC (type 4, FAI 8) whose subnodes are the recipient TC
 *                (0x692), attachment TC (0x671), attachment PCs (type 5)
 *                and large values.
 *   embedded     PR_ATTACH_DATA_OBJ of an attachment is (nid, size); nid is
 *                a subnode of the attachment holding the message PC, with
 *                its own subnode tree.
 *   name map     PC in NID 0x61: GUID stream 0x0002, entry stream 0x0003
 *                of 8-byte NAMEIDs {dwPropertyID, N + wGuid << 1, wPropIdx},
 *                string stream 0x0004 (4-byte length + UTF-16LE).
 */

#include <stdlib.h>

#include "pst_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(pst);

/* --------------------------------------------------------------- store -- */

int pst_store_open(struct pst_file *file, struct pst_object **store)
{
    TRACE("%p\n", file);
    return pst_object_open(file, PST_NID_MESSAGE_STORE, store);
}

int pst_store_get_uid(struct pst_file *file, uint8_t uid[16])
{
    struct pst_object *store;
    struct pst_value v;
    int ret;

    TRACE("%p\n", file);
    if (!file || !uid) return PST_E_INVALID_ARG;
    if ((ret = pst_store_open(file, &store))) return ret;
    if (!(ret = pst_prop_get(store, PST_PR_RECORD_KEY, &v)))
    {
        if (v.size != 16) ret = pst_error(file, PST_E_CORRUPT, "store record key has %u bytes", (unsigned int)v.size);
        else memcpy(uid, v.bytes, 16);
    }
    pst_object_close(store);
    return ret;
}

int pst_store_get_password_crc(struct pst_file *file, uint32_t *crc)
{
    struct pst_object *store;
    struct pst_value v;
    int ret;

    TRACE("%p\n", file);
    if (!file || !crc) return PST_E_INVALID_ARG;
    if ((ret = pst_store_open(file, &store))) return ret;
    ret = pst_prop_get(store, PST_PR_PST_PASSWORD, &v);
    /* No property means no password. */
    if (ret == PST_E_NOT_FOUND)
    {
        *crc = 0;
        ret = PST_OK;
    }
    else if (!ret) *crc = (uint32_t)v.u.l;
    pst_object_close(store);
    return ret;
}

int pst_store_get_special_folder(struct pst_file *file, uint32_t entryid_tag, uint32_t *nid)
{
    struct pst_object *store;
    struct pst_value v;
    uint8_t uid[16];
    int ret;

    TRACE("%p %#x\n", file, entryid_tag);
    if (!file || !nid) return PST_E_INVALID_ARG;
    if ((ret = pst_store_open(file, &store))) return ret;
    if (!(ret = pst_prop_get(store, entryid_tag, &v)))
    {
        if (pst_entryid_parse(v.bytes, v.size, uid, nid))
            ret = pst_error(file, PST_E_CORRUPT, "store property %#x is not a valid entry ID", entryid_tag);
    }
    pst_object_close(store);
    return ret;
}

/* ------------------------------------------------------------- folders -- */

int pst_folder_open(struct pst_file *file, uint32_t nid, struct pst_object **folder)
{
    TRACE("%p %#x\n", file, nid);
    if (!folder) return PST_E_INVALID_ARG;
    *folder = NULL;
    if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_FOLDER && PST_NID_TYPE(nid) != PST_NID_TYPE_SEARCH_FOLDER)
        return PST_E_INVALID_ARG;
    return pst_object_open(file, nid, folder);
}

int pst_folder_open_table(struct pst_file *file, uint32_t folder_nid, enum pst_folder_table which,
                          struct pst_table **table)
{
    TRACE("%p %#x %d\n", file, folder_nid, which);
    if (!table) return PST_E_INVALID_ARG;
    *table = NULL;
    if (which != PST_FOLDER_HIERARCHY && which != PST_FOLDER_CONTENTS && which != PST_FOLDER_ASSOC)
        return PST_E_INVALID_ARG;
    return pst_table_open(file, PST_NID_MAKE(PST_NID_INDEX(folder_nid), (uint32_t)which), table);
}

struct children_ctx
{
    uint32_t parent;
    unsigned int type;
    int (*cb)(void *ctx, uint32_t nid);
    void *ctx;
};

static int children_cb(void *ctx, const struct pst_nbt_entry *e)
{
    struct children_ctx *c = ctx;

    if (e->nid_parent != c->parent || e->nid == c->parent) return 0;
    if (c->type != 0xff && PST_NID_TYPE(e->nid) != c->type) return 0;
    return c->cb(c->ctx, e->nid);
}

int pst_children_foreach(struct pst_file *file, uint32_t parent_nid, unsigned int nid_type,
                         int (*cb)(void *ctx, uint32_t nid), void *ctx)
{
    struct children_ctx c;

    TRACE("%p %#x %#x\n", file, parent_nid, nid_type);
    if (!file || !cb) return PST_E_INVALID_ARG;
    c.parent = parent_nid;
    c.type = nid_type;
    c.cb = cb;
    c.ctx = ctx;
    return pst_nbt_foreach(file, children_cb, &c);
}

/* ------------------------------------------------------------ messages -- */

int pst_message_open(struct pst_file *file, uint32_t nid, struct pst_object **msg)
{
    TRACE("%p %#x\n", file, nid);
    if (!msg) return PST_E_INVALID_ARG;
    *msg = NULL;
    if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_MESSAGE && PST_NID_TYPE(nid) != PST_NID_TYPE_ASSOC_MESSAGE)
        return PST_E_INVALID_ARG;
    return pst_object_open(file, nid, msg);
}

int pst_message_open_table(struct pst_object *msg, uint32_t which, struct pst_table **table)
{
    struct pst_subnode sub;
    int ret;

    TRACE("%p %#x\n", msg, which);
    if (!table) return PST_E_INVALID_ARG;
    *table = NULL;
    if (!msg || msg->kind != PST_OBJ_MESSAGE
            || (which != PST_NID_RECIPIENT_TABLE && which != PST_NID_ATTACHMENT_TABLE))
        return PST_E_INVALID_ARG;
    if ((ret = pst_subnode_lookup(msg->file, msg->bid_sub, which, &sub))) return ret;
    return pst_table_load(msg->file, which, sub.bid_data, sub.bid_sub, table);
}

int pst_message_open_attachment(struct pst_object *msg, uint32_t attach_nid, struct pst_object **att)
{
    struct pst_subnode sub;
    int ret;

    TRACE("%p %#x\n", msg, attach_nid);
    if (!att) return PST_E_INVALID_ARG;
    *att = NULL;
    if (!msg || msg->kind != PST_OBJ_MESSAGE || PST_NID_TYPE(attach_nid) != PST_NID_TYPE_ATTACHMENT)
        return PST_E_INVALID_ARG;
    if ((ret = pst_subnode_lookup(msg->file, msg->bid_sub, attach_nid, &sub)))
    {
        if (ret == PST_E_NOT_FOUND)
            pst_error(msg->file, ret, "message %#x has no attachment %#x", msg->nid, attach_nid);
        return ret;
    }
    return pst_object_load(msg->file, attach_nid, sub.bid_data, sub.bid_sub, PST_OBJ_ATTACHMENT, att);
}

int pst_attachment_open_message(struct pst_object *att, struct pst_object **msg)
{
    struct pst_subnode sub;
    struct pst_value v;
    int ret;

    TRACE("%p\n", att);
    if (!msg) return PST_E_INVALID_ARG;
    *msg = NULL;
    if (!att || att->kind != PST_OBJ_ATTACHMENT) return PST_E_INVALID_ARG;
    if ((ret = pst_prop_get(att, PST_PR_ATTACH_DATA_OBJ, &v))) return ret;
    if ((ret = pst_subnode_lookup(att->file, att->bid_sub, v.u.obj.nid, &sub)))
    {
        if (ret == PST_E_NOT_FOUND)
            ret = pst_error(att->file, PST_E_CORRUPT, "attachment %#x: embedded message subnode %#x is missing",
                            att->nid, v.u.obj.nid);
        return ret;
    }
    return pst_object_load(att->file, v.u.obj.nid, sub.bid_data, sub.bid_sub, PST_OBJ_MESSAGE, msg);
}

/* ----------------------------------------------------------- entry IDs -- */

void pst_entryid_format(const uint8_t uid[16], uint32_t nid, uint8_t out[PST_ENTRYID_SIZE])
{
    memset(out, 0, 4);
    memcpy(out + 4, uid, 16);
    pst_wr32(out + 20, nid);
}

int pst_entryid_parse(const uint8_t *data, size_t size, uint8_t uid[16], uint32_t *nid)
{
    if (!data || size != PST_ENTRYID_SIZE || !nid) return PST_E_INVALID_ARG;
    if (data[0] || data[1] || data[2] || data[3]) return PST_E_INVALID_ARG;
    if (uid) memcpy(uid, data + 4, 16);
    *nid = pst_rd32(data + 20);
    return PST_OK;
}

/* ---------------------------------------------------- named properties -- */

static const uint8_t ps_mapi[16] =
    {0x28, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
static const uint8_t ps_public_strings[16] =
    {0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};

struct pst_namemap
{
    struct pst_file *file;
    struct pst_object *pc;
    struct pst_value guids, entries, strings;
    uint32_t count;
};

int pst_namemap_open(struct pst_file *file, struct pst_namemap **out)
{
    struct pst_namemap *map;
    int ret;

    TRACE("%p\n", file);
    if (!out) return PST_E_INVALID_ARG;
    *out = NULL;
    if (!file) return PST_E_INVALID_ARG;
    if (!(map = pst_zalloc(file, sizeof(*map)))) return PST_E_NOMEM;
    map->file = file;
    if ((ret = pst_object_open(file, PST_NID_NAME_TO_ID_MAP, &map->pc))) goto fail;
    if ((ret = pst_prop_get(map->pc, 0x00030102, &map->entries)))
    {
        if (ret == PST_E_NOT_FOUND) ret = pst_error(file, PST_E_CORRUPT, "name-to-ID map has no entry stream");
        goto fail;
    }
    if ((ret = pst_prop_get(map->pc, 0x00020102, &map->guids)) == PST_E_NOT_FOUND)
    {
        memset(&map->guids, 0, sizeof(map->guids));
        ret = PST_OK;
    }
    if (ret) goto fail;
    if ((ret = pst_prop_get(map->pc, 0x00040102, &map->strings)) == PST_E_NOT_FOUND)
    {
        memset(&map->strings, 0, sizeof(map->strings));
        ret = PST_OK;
    }
    if (ret) goto fail;
    if (map->entries.size % 8 || map->guids.size % 16)
    {
        ret = pst_error(file, PST_E_CORRUPT, "name-to-ID map streams have sizes %u / %u",
                        (unsigned int)map->entries.size, (unsigned int)map->guids.size);
        goto fail;
    }
    map->count = (uint32_t)(map->entries.size / 8);
    *out = map;
    return PST_OK;

fail:
    pst_namemap_close(map);
    return ret;
}

void pst_namemap_close(struct pst_namemap *map)
{
    if (!map) return;
    pst_object_close(map->pc);
    pst_free(map->file, map);
}

uint32_t pst_namemap_count(const struct pst_namemap *map)
{
    return map ? map->count : 0;
}

static int entry_name(struct pst_namemap *map, uint32_t i, struct pst_name *name, uint16_t *prop_idx)
{
    const uint8_t *e = map->entries.bytes + (size_t)i * 8;
    uint32_t id = pst_rd32(e);
    uint16_t guid = pst_rd16(e + 4);
    unsigned int gidx = guid >> 1;

    memset(name, 0, sizeof(*name));
    *prop_idx = pst_rd16(e + 6);
    if (gidx == 1) memcpy(name->guid, ps_mapi, 16);
    else if (gidx == 2) memcpy(name->guid, ps_public_strings, 16);
    else if (gidx >= 3 && (size_t)(gidx - 3) < map->guids.size / 16)
        memcpy(name->guid, map->guids.bytes + (size_t)(gidx - 3) * 16, 16);
    else return pst_error(map->file, PST_E_CORRUPT, "named property %u has GUID index %u", i, gidx);
    if (guid & 1)
    {
        uint32_t len;

        if (map->strings.size < 4 || id > map->strings.size - 4)
            return pst_error(map->file, PST_E_CORRUPT, "named property %u: string offset %u out of range", i, id);
        len = pst_rd32(map->strings.bytes + id);
        if (len > map->strings.size - 4 - id)
            return pst_error(map->file, PST_E_CORRUPT, "named property %u: string length %u out of range", i, len);
        name->kind = PST_NAME_STRING;
        name->name = map->strings.bytes + id + 4;
        name->name_size = len;
    }
    else
    {
        name->kind = PST_NAME_ID;
        name->lid = id;
    }
    return PST_OK;
}

int pst_namemap_get_name(struct pst_namemap *map, uint16_t prop_id, struct pst_name *name)
{
    uint32_t i;
    uint16_t idx;
    int ret;

    if (!map || !name) return PST_E_INVALID_ARG;
    if (prop_id < 0x8000) return PST_E_NOT_FOUND;
    /* Outlook writes entry i with wPropIdx i; check the direct slot first. */
    i = prop_id - 0x8000u;
    if (i < map->count)
    {
        if ((ret = entry_name(map, i, name, &idx))) return ret;
        if (idx == i) return PST_OK;
    }
    for (i = 0; i < map->count; i++)
    {
        if ((ret = entry_name(map, i, name, &idx))) return ret;
        if (0x8000u + idx == prop_id) return PST_OK;
    }
    return PST_E_NOT_FOUND;
}

int pst_namemap_get_id(struct pst_namemap *map, const struct pst_name *name, uint16_t *prop_id)
{
    struct pst_name n;
    uint32_t i;
    uint16_t idx;
    int ret;

    if (!map || !name || !prop_id) return PST_E_INVALID_ARG;
    for (i = 0; i < map->count; i++)
    {
        if ((ret = entry_name(map, i, &n, &idx))) return ret;
        if (n.kind != name->kind || memcmp(n.guid, name->guid, 16)) continue;
        if (n.kind == PST_NAME_ID ? n.lid == name->lid
                : (n.name_size == name->name_size && !memcmp(n.name, name->name, n.name_size)))
        {
            *prop_id = (uint16_t)(0x8000u + idx);
            return PST_OK;
        }
    }
    return PST_E_NOT_FOUND;
}
