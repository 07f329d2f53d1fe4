#define _XOPEN_SOURCE 700
/* Unit tests of the messaging layer: folders by both navigation paths,
 * messages, recipients, attachments, embedded messages, password CRC. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enginetest.h"
#include "testutil.h"
#include "walk.h"
#include "pst_private.h"

struct id_set
{
    uint32_t ids[256];
    unsigned int count;
};

static int collect_cb(void *ctx, uint32_t nid)
{
    struct id_set *s = ctx;

    if (s->count < 256) s->ids[s->count++] = nid;
    return 0;
}

static int has_id(const struct id_set *s, uint32_t id)
{
    unsigned int i;

    for (i = 0; i < s->count; i++) if (s->ids[i] == id) return 1;
    return 0;
}

/* For every normal folder the hierarchy and contents tables list exactly
 * the children found through NBT parent links. */
static void test_folders(void)
{
    unsigned int i, folders_checked = 0;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    for (i = 0; i < sample_count; i++)
    {
        struct pst_io *io;
        struct pst_file *file;
        struct id_set todo;
        unsigned int k;

        if (pst_io_open_file(sample_path(sample_names[i]), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
        {
            ok(0, "cannot open %s\n", sample_names[i]);
            continue;
        }
        todo.count = 1;
        todo.ids[0] = PST_NID_ROOT_FOLDER;
        for (k = 0; k < todo.count; k++)
        {
            uint32_t nid = todo.ids[k], r;
            struct id_set sub = {{0}, 0}, msgs = {{0}, 0};
            struct pst_table *t;
            struct pst_object *f;

            if (PST_NID_TYPE(nid) != PST_NID_TYPE_NORMAL_FOLDER) continue;
            ok(!pst_folder_open(file, nid, &f), "%s: folder %#x\n", sample_names[i], nid);
            pst_object_close(f);
            pst_children_foreach(file, nid, PST_NID_TYPE_NORMAL_FOLDER, collect_cb, &sub);
            pst_children_foreach(file, nid, PST_NID_TYPE_SEARCH_FOLDER, collect_cb, &sub);
            pst_children_foreach(file, nid, PST_NID_TYPE_NORMAL_MESSAGE, collect_cb, &msgs);
            if (!ok(!pst_folder_open_table(file, nid, PST_FOLDER_HIERARCHY, &t), "%s: hierarchy of %#x\n",
                    sample_names[i], nid)) continue;
            ok(pst_table_row_count(t) == sub.count, "%s %#x: %u hierarchy rows, %u child nodes\n", sample_names[i], nid,
               pst_table_row_count(t), sub.count);
            for (r = 0; r < pst_table_row_count(t); r++)
            {
                uint32_t id;

                ok(!pst_table_row_id(t, r, &id) && has_id(&sub, id), "%s %#x: row %u\n", sample_names[i], nid, r);
                if (todo.count < 256) todo.ids[todo.count++] = id;
            }
            pst_table_close(t);
            if (!ok(!pst_folder_open_table(file, nid, PST_FOLDER_CONTENTS, &t), "%s: contents of %#x\n",
                    sample_names[i], nid)) continue;
            ok(pst_table_row_count(t) == msgs.count, "%s %#x: %u contents rows, %u messages\n", sample_names[i], nid,
               pst_table_row_count(t), msgs.count);
            for (r = 0; r < pst_table_row_count(t); r++)
            {
                uint32_t id;
                struct pst_object *m;

                ok(!pst_table_row_id(t, r, &id) && has_id(&msgs, id), "%s %#x: row %u\n", sample_names[i], nid, r);
                ok(!pst_message_open(file, id, &m) && pst_object_kind(m) == PST_OBJ_MESSAGE, "message %#x\n", id);
                pst_object_close(m);
            }
            pst_table_close(t);
            folders_checked++;
        }
        pst_close(file);
        io->close(io);
    }
    ok(folders_checked > 40, "only %u folders checked\n", folders_checked);
}

static void test_password(void)
{
    static const struct
    {
        const char *name;
        uint32_t crc;
    }
    expect[] =
    {
        /* PR_PST_PASSWORD as ltpdump.py prints it for the store PC
         * (0x67FF0003); the ANSI sample is pstsdk's twin of test_unicode. */
        {"javalibpst_passworded.pst", 0xe61eb50f},
        {"pstsdk_test_unicode.pst", 0xf93ba110},
        {"pstsdk_test_ansi.pst", 0xf93ba110},
        {"outlook-pst-rs_Empty.pst", 0},
        {"pstsdk_sample1.pst", 0},
    };
    unsigned int i;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
    {
        struct pst_io *io;
        struct pst_file *file;
        struct pst_object *store;
        uint32_t crc = 1;

        if (pst_io_open_file(sample_path(expect[i].name), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
        {
            ok(0, "%s: a password-protected file must still open\n", expect[i].name);
            continue;
        }
        ok(!pst_store_get_password_crc(file, &crc) && crc == expect[i].crc, "%s: password CRC %#x\n", expect[i].name, crc);
        /* Reading is not refused. */
        ok(!pst_store_open(file, &store) && pst_prop_count(store) > 5, "%s: store not readable\n", expect[i].name);
        pst_object_close(store);
        pst_close(file);
        io->close(io);
    }
}

static void test_embedded(void)
{
    struct pst_io *io;
    struct pst_file *file;
    struct pst_object *msg, *att, *sub;
    struct pst_table *t;
    struct pst_value v;
    uint32_t id;
    char text[256];
    int ret;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    if (pst_io_open_file(sample_path("pstsdk_submessage.pst"), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
    {
        ok(0, "cannot open submessage\n");
        return;
    }
    ok(!pst_message_open(file, 0x200024, &msg), "message\n");
    ok(pst_message_open(file, 0x8082, &sub) == PST_E_INVALID_ARG, "folder opened as a message\n");
    ok(!pst_message_open_table(msg, PST_NID_ATTACHMENT_TABLE, &t) && pst_table_row_count(t) == 1, "attachments\n");
    ok(!pst_table_row_id(t, 0, &id), "row id\n");
    pst_table_close(t);
    ok(!pst_message_open_attachment(msg, id, &att), "attachment\n");
    ret = pst_prop_get(att, PST_PR_ATTACH_METHOD, &v);
    ok(!ret && v.u.l == 5, "method %d\n", v.u.l);
    /* ltpdump.py: the attachment's 0x3701000D is heap value 44002000 881e0000 */
    ret = pst_prop_get(att, PST_PR_ATTACH_DATA_OBJ, &v);
    ok(!ret && v.u.obj.nid == 0x200044 && v.u.obj.size == 0x1e88, "data object %#x/%u\n", v.u.obj.nid, v.u.obj.size);
    ret = pst_attachment_open_message(att, &sub);
    ok(!ret, "embedded message %d %s\n", ret, pst_last_error(file));
    if (!ret)
    {
        ok(pst_object_kind(sub) == PST_OBJ_MESSAGE, "kind\n");
        ok(!pst_prop_get(sub, 0x0037001f, &v), "subject\n");
        walk_quote(&v, text, sizeof(text));
        /* pypff and readpst show this subject for the embedded message. */
        /* Stored with the \x01 prefix marker, which readers strip. */
        ok(!strcmp(text, "\\x01\\x01This is an embedded message"), "subject %s\n", text);
        ok(!pst_prop_get(sub, 0x0e080003, &v) && v.u.l == 0x1e88, "embedded size %d\n", v.u.l);
        ok(!pst_message_open_table(sub, PST_NID_RECIPIENT_TABLE, &t) && pst_table_row_count(t) == 1, "recipients\n");
        pst_table_close(t);
        ok(pst_message_open_table(sub, PST_NID_ATTACHMENT_TABLE, &t) == PST_E_NOT_FOUND, "attachments\n");
        pst_object_close(sub);
    }
    ok(pst_attachment_open_message(msg, &sub) == PST_E_INVALID_ARG, "message as attachment\n");
    pst_object_close(att);
    pst_object_close(msg);
    pst_close(file);
    io->close(io);
}

static void test_walk(void)
{
    unsigned int i;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    for (i = 0; i < sample_count; i++)
    {
        struct pst_io *io;
        struct pst_file *file;
        int ret;

        if (pst_io_open_file(sample_path(sample_names[i]), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
        {
            ok(0, "cannot open %s\n", sample_names[i]);
            continue;
        }
        ret = walk_canonical(file, NULL);
        ok(!ret, "%s: walk error %d %s\n", sample_names[i], ret, pst_last_error(file));
        ret = walk_all_nodes(file);
        ok(!ret, "%s: %d errors reading all nodes (%s)\n", sample_names[i], ret, pst_last_error(file));
        pst_close(file);
        io->close(io);
    }
}

static const struct engine_test engine_tests[] =
{
    {"folders", test_folders},
    {"password", test_password},
    {"embedded", test_embedded},
    {"walk", test_walk},
};

ENGINE_TEST_MAIN
