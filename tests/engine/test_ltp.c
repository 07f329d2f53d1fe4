#define _XOPEN_SOURCE 700
/* Unit tests of the LTP layer (HN, BTH, PC, TC) and of named properties and
 * entry IDs, compared with ltpdump.py (through ltp_ref.py). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enginetest.h"
#include "testutil.h"
#include "pst_private.h"

static char *ltp_reference(const char *sample)
{
    char cmd[9000];
    int status;
    char *out;

    snprintf(cmd, sizeof(cmd), "/usr/bin/python3 '%s/ltp_ref.py' '%s/tools/pst' '%s' 2>/dev/null", SRCDIR, shared_dir(),
             sample_path(sample));
    out = run_capture(cmd, &status);
    if (out && status)
    {
        free(out);
        return NULL;
    }
    return out;
}

static int can_compare(const char *name)
{
    /* ltpdump.py reads Unicode files only. */
    return !strstr(name, "ansi") && !strstr(name, "sample2");
}

static int hexval(char c)
{
    return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0';
}

/* Stored bytes of a value as ltp_ref.py prints them. */
static size_t value_bytes(const struct pst_value *v, uint8_t *out, size_t max)
{
    unsigned int fixed = pst_type_fixed_size(v->type);
    uint64_t bits = 0;
    size_t i;

    if (fixed && fixed != ~0u && fixed <= 8)
    {
        switch (fixed)
        {
        case 1: bits = (uint64_t)v->u.boolean; break;
        case 2: bits = (uint16_t)v->u.i2; break;
        case 4:
            if (v->type == PST_PT_R4) memcpy(&bits, &v->u.r4, 4);
            else bits = (uint32_t)v->u.l;
            break;
        case 8:
            if (v->type == PST_PT_DOUBLE || v->type == PST_PT_APPTIME) memcpy(&bits, &v->u.dbl, 8);
            else bits = (uint64_t)v->u.i8;
            break;
        }
        for (i = 0; i < fixed; i++) out[i] = (uint8_t)(bits >> (8 * i));
        return fixed;
    }
    if (v->size > max) return max + 1;
    memcpy(out, v->bytes, v->size);
    return v->size;
}

static void test_pc(void)
{
    unsigned int i, total = 0;
    static uint8_t got[1 << 20], want[1 << 20];

    if (!shared_dir() || !have_program("/usr/bin/python3"))
    {
        skip("samples or /usr/bin/python3 not available\n");
        return;
    }
    for (i = 0; i < sample_count; i++)
    {
        struct pst_io *io;
        struct pst_file *file;
        struct pst_object *obj = NULL;
        uint32_t cur = 0, seen = 0;
        char *out, *line, *save;

        if (!can_compare(sample_names[i])) continue;
        out = ltp_reference(sample_names[i]);
        ok(out != NULL, "ltp_ref.py failed on %s\n", sample_names[i]);
        if (!out) continue;
        if (pst_io_open_file(sample_path(sample_names[i]), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
        {
            ok(0, "cannot open %s\n", sample_names[i]);
            free(out);
            continue;
        }
        for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        {
            unsigned int nid, tag;
            char hex[1 << 12], *h;
            struct pst_value v;
            size_t n, k;
            int ret;

            hex[0] = 0;
            if (sscanf(line, "PC %x %x %4095s", &nid, &tag, hex) < 2) continue;
            if (nid != cur)
            {
                if (obj) ok(pst_prop_count(obj) == seen, "%s %#x: %u properties, ltpdump %u\n", sample_names[i], cur,
                            pst_prop_count(obj), seen);
                pst_object_close(obj);
                obj = NULL;
                cur = nid;
                seen = 0;
                ret = pst_object_open(file, nid, &obj);
                ok(!ret, "%s: PC %#x does not open: %d %s\n", sample_names[i], nid, ret, pst_last_error(file));
            }
            seen++;
            if (!obj) continue;
            if (strlen(hex) == sizeof(hex) - 1)
            {
                /* Long values: compare the length the line claims instead. */
                h = strchr(line, ' ');
                h = strchr(h + 1, ' ');
                h = strchr(h + 1, ' ') + 1;
                n = strlen(h) / 2;
                for (k = 0; k < n && k < sizeof(want); k++) want[k] = (uint8_t)(hexval(h[2 * k]) << 4 | hexval(h[2 * k + 1]));
            }
            else
            {
                n = strlen(hex) / 2;
                for (k = 0; k < n; k++) want[k] = (uint8_t)(hexval(hex[2 * k]) << 4 | hexval(hex[2 * k + 1]));
            }
            ret = pst_prop_get(obj, tag, &v);
            if (!ok(!ret, "%s %#x: property %08x: %d\n", sample_names[i], nid, tag, ret)) continue;
            k = value_bytes(&v, got, sizeof(got));
            ok(k == n && !memcmp(got, want, n), "%s %#x: property %08x differs (%u vs %u bytes)\n", sample_names[i], nid,
               tag, (unsigned int)k, (unsigned int)n);
            total++;
        }
        if (obj) ok(pst_prop_count(obj) == seen, "%s %#x: %u properties, ltpdump %u\n", sample_names[i], cur,
                    pst_prop_count(obj), seen);
        pst_object_close(obj);
        pst_close(file);
        io->close(io);
        free(out);
    }
    ok(total > 300, "only %u properties compared\n", total);
}

static void test_tc(void)
{
    unsigned int i, total = 0;

    if (!shared_dir() || !have_program("/usr/bin/python3"))
    {
        skip("samples or /usr/bin/python3 not available\n");
        return;
    }
    for (i = 0; i < sample_count; i++)
    {
        struct pst_io *io;
        struct pst_file *file;
        char *out, *line, *save;

        if (!can_compare(sample_names[i])) continue;
        out = ltp_reference(sample_names[i]);
        ok(out != NULL, "ltp_ref.py failed on %s\n", sample_names[i]);
        if (!out) continue;
        if (pst_io_open_file(sample_path(sample_names[i]), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
        {
            ok(0, "cannot open %s\n", sample_names[i]);
            free(out);
            continue;
        }
        for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        {
            unsigned int nid, ncols, rowsize, rows, k;
            struct pst_table *t;
            char *p;
            int pos, ret;

            if (sscanf(line, "TC %x %u %u %u%n", &nid, &ncols, &rowsize, &rows, &pos) < 4) continue;
            ret = pst_table_open(file, nid, &t);
            if (!ok(!ret, "%s: TC %#x: %d %s\n", sample_names[i], nid, ret, pst_last_error(file))) continue;
            ok(pst_table_column_count(t) == ncols, "%s %#x: %u columns, ltpdump %u\n", sample_names[i], nid,
               pst_table_column_count(t), ncols);
            ok(pst_table_row_count(t) == rows, "%s %#x: %u rows, ltpdump %u\n", sample_names[i], nid,
               pst_table_row_count(t), rows);
            p = line + pos;
            for (k = 0; k < ncols; k++)
            {
                unsigned int tag, ib, cb, bit;
                struct pst_column col;
                int used;

                if (sscanf(p, " %x@%u/%u/%u%n", &tag, &ib, &cb, &bit, &used) < 4) break;
                p += used;
                pst_table_column(t, k, &col);
                ok(col.tag == tag && col.offset == ib && col.size == cb && col.bit == bit,
                   "%s %#x: column %u is %08x@%u/%u/%u, ltpdump %08x@%u/%u/%u\n", sample_names[i], nid, k, col.tag,
                   col.offset, col.size, col.bit, tag, ib, cb, bit);
            }
            /* Every row's ID is found again through the row index. */
            for (k = 0; k < pst_table_row_count(t); k++)
            {
                uint32_t id, row;

                ok(!pst_table_row_id(t, k, &id) && !pst_table_find_row(t, id, &row) && row == k,
                   "%s %#x: row %u not found by its ID\n", sample_names[i], nid, k);
            }
            pst_table_close(t);
            total++;
        }
        pst_close(file);
        io->close(io);
        free(out);
    }
    ok(total > 50, "only %u tables compared\n", total);
}

/* Cells of the Empty store's root hierarchy table (0x12D), which the
 * empty-store dump lists: 4 rows, display names of the 4 top folders. */
static void test_cells(void)
{
    static const char *const names[] = {"Top of Outlook data file", "Search Root", "SPAM Search Folder 2",
                                        "IPM_COMMON_VIEWS"};
    struct pst_io *io;
    struct pst_file *file;
    struct pst_table *t;
    unsigned int r, k, found = 0;

    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    if (pst_io_open_file(sample_path("outlook-pst-rs_Empty.pst"), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
    {
        ok(0, "cannot open Empty.pst\n");
        return;
    }
    ok(!pst_table_open(file, 0x12d, &t), "hierarchy table\n");
    ok(pst_table_row_count(t) == 4, "%u rows\n", pst_table_row_count(t));
    for (r = 0; r < pst_table_row_count(t); r++)
    {
        struct pst_value v;
        char name[256];

        if (!ok(!pst_table_get_cell(t, r, 0x3001001f, &v), "row %u has no display name\n", r)) continue;
        for (k = 0; k < v.size / 2 && k < sizeof(name) - 1; k++) name[k] = (char)v.bytes[2 * k];
        name[k] = 0;
        for (k = 0; k < 4; k++) if (!strcmp(name, names[k])) found |= 1u << k;
        ok(!pst_table_get_cell(t, r, 0x36020003, &v) && v.u.l == 0, "row %u content count\n", r);
        ok(pst_table_get_cell(t, r, 0x12340003, &v) == PST_E_NOT_FOUND, "absent column found\n");
        ok(!pst_table_get_cell(t, r, 0x30010000, &v) && v.type == PST_PT_UNICODE, "PT_UNSPECIFIED lookup\n");
    }
    ok(found == 15, "folder names found: %#x\n", found);
    ok(pst_table_get_cell(t, 4, 0x3001001f, NULL) == PST_E_INVALID_ARG, "row out of range\n");
    pst_table_close(t);
    ok(pst_table_open(file, 0x21, &t) == PST_E_CORRUPT, "a PC opened as a table\n");
    pst_close(file);
    io->close(io);
}

static void test_multivalue(void)
{
    /* [MS-PST] 2.3.3.4: variable-size MV = ulCount, rgulDataOffsets, data. */
    static const uint8_t mvstr[] = {2, 0, 0, 0, 12, 0, 0, 0, 16, 0, 0, 0, 'a', 0, 'b', 0, 'c', 0};
    static const uint8_t mvlong[] = {1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0};
    static const uint8_t bad[] = {9, 0, 0, 0, 12, 0, 0, 0};
    struct pst_value v, e;
    uint32_t count = 0;

    memset(&v, 0, sizeof(v));
    v.tag = 0x8001101f;
    v.type = 0x101f;
    v.bytes = mvstr;
    v.size = sizeof(mvstr);
    ok(!pst_value_mv_count(&v, &count) && count == 2, "count %u\n", count);
    ok(!pst_value_mv_get(&v, 0, &e) && e.size == 4 && !memcmp(e.bytes, "a\0b\0", 4) && e.type == PST_PT_UNICODE,
       "element 0\n");
    ok(!pst_value_mv_get(&v, 1, &e) && e.size == 2 && !memcmp(e.bytes, "c\0", 2), "element 1\n");
    ok(pst_value_mv_get(&v, 2, &e) == PST_E_INVALID_ARG, "element 2 exists\n");
    v.bytes = bad;
    v.size = sizeof(bad);
    ok(pst_value_mv_count(&v, &count) == PST_E_CORRUPT, "absurd count accepted\n");
    v.type = 0x1003;
    v.tag = 0x80021003;
    v.bytes = mvlong;
    v.size = sizeof(mvlong);
    ok(!pst_value_mv_count(&v, &count) && count == 3, "long count %u\n", count);
    ok(!pst_value_mv_get(&v, 1, &e) && e.u.l == -1, "long element\n");
    v.size = 11;
    ok(pst_value_mv_count(&v, &count) == PST_E_CORRUPT, "ragged fixed MV accepted\n");
    v.type = PST_PT_LONG;
    ok(pst_value_mv_count(&v, &count) == PST_E_INVALID_ARG, "single value accepted\n");
}

static void test_namemap(void)
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
        struct pst_namemap *map;
        struct pst_object *pc;
        struct pst_value entries, guids;
        uint32_t k, n, strings = 0;
        int ret;

        if (pst_io_open_file(sample_path(sample_names[i]), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
        {
            ok(0, "cannot open %s\n", sample_names[i]);
            continue;
        }
        ret = pst_namemap_open(file, &map);
        ok(!ret, "%s: name map %d\n", sample_names[i], ret);
        ok(!pst_object_open(file, 0x61, &pc) && !pst_prop_get(pc, 0x00030102, &entries)
           && !pst_prop_get(pc, 0x00020102, &guids), "%s: map PC\n", sample_names[i]);
        if (ret) goto next;
        n = pst_namemap_count(map);
        ok(n == entries.size / 8 && n > 0, "%s: %u names, entry stream %u bytes\n", sample_names[i], n,
           (unsigned int)entries.size);
        for (k = 0; k < n; k++)
        {
            struct pst_name name;
            uint16_t id = 0, idx = pst_rd16(entries.bytes + 8 * k + 6), g = pst_rd16(entries.bytes + 8 * k + 4);

            ret = pst_namemap_get_name(map, (uint16_t)(0x8000 + idx), &name);
            if (!ok(!ret, "%s: name of %#x: %d\n", sample_names[i], 0x8000 + idx, ret)) continue;
            ok(name.kind == (g & 1 ? PST_NAME_STRING : PST_NAME_ID), "%s: kind\n", sample_names[i]);
            if (name.kind == PST_NAME_ID)
                ok(name.lid == pst_rd32(entries.bytes + 8 * k), "%s: lid %#x\n", sample_names[i], name.lid);
            else strings++;
            if ((g >> 1) >= 3)
                ok(!memcmp(name.guid, guids.bytes + 16 * ((g >> 1) - 3), 16), "%s: guid of %#x\n", sample_names[i],
                   0x8000 + idx);
            ok(!pst_namemap_get_id(map, &name, &id) && id == 0x8000 + idx, "%s: id of name %#x is %#x\n",
               sample_names[i], 0x8000 + idx, id);
        }
        ok(strings > 0, "%s: no string names\n", sample_names[i]);
        {
            struct pst_name name;

            ok(pst_namemap_get_name(map, 0x7fff, &name) == PST_E_NOT_FOUND, "non-named id found\n");
            ok(pst_namemap_get_name(map, (uint16_t)(0x8000 + n + 100), &name) == PST_E_NOT_FOUND, "unused id found\n");
            memset(&name, 0, sizeof(name));
            name.kind = PST_NAME_ID;
            name.lid = 0x7fffffff;
            { uint16_t none; ok(pst_namemap_get_id(map, &name, &none) == PST_E_NOT_FOUND, "absent name\n"); }
        }
        pst_namemap_close(map);
next:
        pst_object_close(pc);
        pst_close(file);
        io->close(io);
    }
}

static void test_entryid(void)
{
    static const uint8_t uid[16] = {0x53, 0x66, 0xe7, 0xdd, 0x90, 0x0f, 0xb7, 0x4d, 0xb6, 0xe1, 0x30, 0xce, 0xdf, 0x3b,
                                    0xc0, 0x77};
    uint8_t eid[PST_ENTRYID_SIZE], out[16];
    uint32_t nid;
    struct pst_io *io;
    struct pst_file *file;

    pst_entryid_format(uid, 0x8022, eid);
    /* ltpdump.py shows Empty.pst's IPM subtree entry ID as this. */
    ok(!memcmp(eid, "\0\0\0\0\x53\x66\xe7\xdd\x90\x0f\xb7\x4d\xb6\xe1\x30\xce\xdf\x3b\xc0\x77\x22\x80\0\0", 24),
       "formatted entry ID\n");
    ok(!pst_entryid_parse(eid, sizeof(eid), out, &nid) && nid == 0x8022 && !memcmp(out, uid, 16), "parse\n");
    ok(pst_entryid_parse(eid, 23, out, &nid) == PST_E_INVALID_ARG, "short entry ID accepted\n");
    eid[1] = 1;
    ok(pst_entryid_parse(eid, sizeof(eid), out, &nid) == PST_E_INVALID_ARG, "flags accepted\n");
    if (!shared_dir())
    {
        skip("samples not available\n");
        return;
    }
    if (pst_io_open_file(sample_path("outlook-pst-rs_Empty.pst"), 0, &io) || pst_open(io, NULL, &file, NULL, 0))
    {
        ok(0, "cannot open Empty.pst\n");
        return;
    }
    ok(!pst_store_get_uid(file, out) && !memcmp(out, uid, 16), "store UID\n");
    ok(!pst_store_get_special_folder(file, 0x35e00102, &nid) && nid == 0x8022, "IPM subtree %#x\n", nid);
    ok(!pst_store_get_special_folder(file, 0x35e30102, &nid) && nid == 0x8062, "Deleted Items %#x\n", nid);
    ok(!pst_store_get_special_folder(file, 0x35e70102, &nid) && nid == 0x8042, "Search Root %#x\n", nid);
    ok(pst_store_get_special_folder(file, 0x35e10102, &nid) == PST_E_NOT_FOUND, "absent entry ID\n");
    pst_close(file);
    io->close(io);
}

static const struct engine_test engine_tests[] =
{
    {"pc", test_pc},
    {"tc", test_tc},
    {"cells", test_cells},
    {"multivalue", test_multivalue},
    {"namemap", test_namemap},
    {"entryid", test_entryid},
};

ENGINE_TEST_MAIN
