/* Walking code shared by pstwalk, the fuzz target and the tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"
#include "sha256.h"

static void put_utf8(char **p, char *end, uint32_t c)
{
    char tmp[8];
    int n = 0, i;

    if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f)
        n = snprintf(tmp, sizeof(tmp), "\\x%02x", (unsigned int)c);
    else if (c < 0x80) tmp[n++] = (char)c;
    else if (c < 0x800)
    {
        tmp[n++] = (char)(0xc0 | (c >> 6));
        tmp[n++] = (char)(0x80 | (c & 0x3f));
    }
    else if (c < 0x10000)
    {
        tmp[n++] = (char)(0xe0 | (c >> 12));
        tmp[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
        tmp[n++] = (char)(0x80 | (c & 0x3f));
    }
    else
    {
        tmp[n++] = (char)(0xf0 | (c >> 18));
        tmp[n++] = (char)(0x80 | ((c >> 12) & 0x3f));
        tmp[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
        tmp[n++] = (char)(0x80 | (c & 0x3f));
    }
    if (end - *p <= n) return;
    for (i = 0; i < n; i++) *(*p)++ = tmp[i];
}

void walk_quote(const struct pst_value *v, char *out, size_t size)
{
    char *p = out, *end = out + size - 1;
    size_t i;
    int skip = 0;

    if (v->type == PST_PT_UNICODE)
    {
        for (i = 0; i + 1 < v->size; i += 2)
        {
            uint32_t c = v->bytes[i] | (v->bytes[i + 1] << 8);

            if (c >= 0xd800 && c < 0xdc00 && i + 3 < v->size)
            {
                uint32_t lo = v->bytes[i + 2] | (v->bytes[i + 3] << 8);

                if (lo >= 0xdc00 && lo < 0xe000)
                {
                    c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                    i += 2;
                }
            }
            if (!c) break;
            put_utf8(&p, end, c);
        }
    }
    else
    {
        (void)skip;
        for (i = 0; i < v->size; i++)
        {
            if (!v->bytes[i]) break;
            put_utf8(&p, end, v->bytes[i]);   /* 8-bit strings are shown as Latin-1 */
        }
    }
    *p = 0;
}

static int get_string(struct pst_object *obj, uint16_t id, char *out, size_t size)
{
    struct pst_value v;

    out[0] = 0;
    if (!pst_prop_get(obj, PST_PROP_TAG(id, PST_PT_UNICODE), &v)
            || !pst_prop_get(obj, PST_PROP_TAG(id, PST_PT_STRING8), &v))
    {
        walk_quote(&v, out, size);
        return 1;
    }
    return 0;
}

static int cell_string(struct pst_table *t, uint32_t row, uint16_t id, char *out, size_t size)
{
    struct pst_value v;

    out[0] = 0;
    if (!pst_table_get_cell(t, row, PST_PROP_TAG(id, PST_PT_UNICODE), &v)
            || !pst_table_get_cell(t, row, PST_PROP_TAG(id, PST_PT_STRING8), &v))
    {
        walk_quote(&v, out, size);
        return 1;
    }
    return 0;
}

static long get_long(struct pst_object *obj, uint32_t tag, long def)
{
    struct pst_value v;

    if (pst_prop_get(obj, tag, &v)) return def;
    return v.u.l;
}

struct walker
{
    struct pst_file *file;
    FILE *out;
    int first_error;
    unsigned int depth;
};

static void note(struct walker *w, int ret)
{
    if (ret && !w->first_error) w->first_error = ret;
}

static void indent(struct walker *w)
{
    unsigned int i;

    if (!w->out) return;
    for (i = 0; i < w->depth; i++) fputs("  ", w->out);
}

static void walk_message(struct walker *w, struct pst_object *msg);

static void walk_attachment(struct walker *w, struct pst_object *msg, uint32_t nid)
{
    struct pst_object *att;
    struct pst_stream *s;
    char name[512];
    long method;
    int ret;

    if ((ret = pst_message_open_attachment(msg, nid, &att)))
    {
        note(w, ret);
        return;
    }
    if (!get_string(att, 0x3707, name, sizeof(name)) && !get_string(att, 0x3704, name, sizeof(name)))
        get_string(att, 0x3001, name, sizeof(name));
    method = get_long(att, PST_PR_ATTACH_METHOD, 0);
    if (!(ret = pst_prop_open_stream(att, PST_PR_ATTACH_DATA_BIN, &s)))
    {
        struct sha256 sha;
        uint8_t buf[4096], digest[32];
        char hex[65];
        uint64_t off = 0;
        size_t got;

        sha256_init(&sha);
        while (!(ret = pst_stream_read(s, off, buf, sizeof(buf), &got)) && got)
        {
            sha256_update(&sha, buf, got);
            off += got;
        }
        note(w, ret);
        sha256_final(&sha, digest);
        sha256_hex(digest, hex);
        indent(w);
        if (w->out) fprintf(w->out, "attachment method=%ld name=\"%s\" size=%llu sha256=%s\n", method, name,
                            (unsigned long long)pst_stream_size(s), hex);
        pst_stream_close(s);
    }
    else
    {
        if (ret != PST_E_NOT_FOUND) note(w, ret);
        indent(w);
        if (w->out) fprintf(w->out, "attachment method=%ld name=\"%s\" nodata\n", method, name);
    }
    if (method == 5 && w->depth < 8)
    {
        struct pst_object *sub;

        if (!(ret = pst_attachment_open_message(att, &sub)))
        {
            w->depth++;
            indent(w);
            if (w->out) fprintf(w->out, "embedded\n");
            walk_message(w, sub);
            w->depth--;
            pst_object_close(sub);
        }
        else note(w, ret);
    }
    pst_object_close(att);
}

static void walk_message(struct walker *w, struct pst_object *msg)
{
    char subject[1024], sender[512], cls[256], name[512], email[512];
    const char *subj = subject;
    struct pst_table *t;
    uint32_t i, n;
    int ret;

    get_string(msg, 0x0037, subject, sizeof(subject));
    /* A subject starting with \x01 carries a prefix length in its second
     * character; readers show the subject without those two characters. */
    if (!strncmp(subject, "\\x01", 4)) subj = subject + 4 + (subject[4] == '\\' ? 4 : 1);
    get_string(msg, 0x0c1a, sender, sizeof(sender));
    get_string(msg, 0x001a, cls, sizeof(cls));
    indent(w);
    if (w->out) fprintf(w->out, "message class=\"%s\" subject=\"%s\" sender=\"%s\" size=%ld\n", cls, subj, sender,
                        get_long(msg, 0x0e080003, -1));
    w->depth++;
    if (!(ret = pst_message_open_table(msg, PST_NID_RECIPIENT_TABLE, &t)))
    {
        n = pst_table_row_count(t);
        for (i = 0; i < n; i++)
        {
            struct pst_value v;
            long type = -1;

            if (!pst_table_get_cell(t, i, 0x0c150003, &v)) type = v.u.l;
            cell_string(t, i, 0x3001, name, sizeof(name));
            cell_string(t, i, 0x3003, email, sizeof(email));
            indent(w);
            if (w->out) fprintf(w->out, "recipient type=%ld name=\"%s\" email=\"%s\"\n", type, name, email);
        }
        pst_table_close(t);
    }
    else if (ret != PST_E_NOT_FOUND) note(w, ret);
    if (!(ret = pst_message_open_table(msg, PST_NID_ATTACHMENT_TABLE, &t)))
    {
        n = pst_table_row_count(t);
        for (i = 0; i < n; i++)
        {
            uint32_t id;

            if ((ret = pst_table_row_id(t, i, &id))) note(w, ret);
            else walk_attachment(w, msg, id);
        }
        pst_table_close(t);
    }
    else if (ret != PST_E_NOT_FOUND) note(w, ret);
    w->depth--;
}

static uint32_t table_count(struct walker *w, uint32_t folder, enum pst_folder_table which)
{
    struct pst_table *t;
    uint32_t n;
    int ret;

    if ((ret = pst_folder_open_table(w->file, folder, which, &t)))
    {
        if (ret != PST_E_NOT_FOUND) note(w, ret);
        return 0;
    }
    n = pst_table_row_count(t);
    pst_table_close(t);
    return n;
}

static void walk_folder(struct walker *w, uint32_t nid, const char *path)
{
    struct pst_table *t;
    uint32_t i, n;
    int ret;

    if (w->depth > 64) return;
    if (w->out) fprintf(w->out, "folder \"%s\" nid=%#x contents=%u assoc=%u subfolders=%u\n", path, nid,
                        table_count(w, nid, PST_FOLDER_CONTENTS), table_count(w, nid, PST_FOLDER_ASSOC),
                        table_count(w, nid, PST_FOLDER_HIERARCHY));
    if (!(ret = pst_folder_open_table(w->file, nid, PST_FOLDER_CONTENTS, &t)))
    {
        n = pst_table_row_count(t);
        for (i = 0; i < n; i++)
        {
            struct pst_object *msg;
            uint32_t id;

            if ((ret = pst_table_row_id(t, i, &id)) || (ret = pst_message_open(w->file, id, &msg)))
            {
                note(w, ret);
                continue;
            }
            w->depth++;
            walk_message(w, msg);
            w->depth--;
            pst_object_close(msg);
        }
        pst_table_close(t);
    }
    else if (ret != PST_E_NOT_FOUND) note(w, ret);
    if (!(ret = pst_folder_open_table(w->file, nid, PST_FOLDER_HIERARCHY, &t)))
    {
        n = pst_table_row_count(t);
        for (i = 0; i < n; i++)
        {
            char name[512], *child;
            uint32_t id;
            struct pst_object *f;

            if ((ret = pst_table_row_id(t, i, &id)))
            {
                note(w, ret);
                continue;
            }
            if (id == nid) continue;
            name[0] = 0;
            if (!(ret = pst_folder_open(w->file, id, &f)))
            {
                get_string(f, 0x3001, name, sizeof(name));
                pst_object_close(f);
            }
            else note(w, ret);
            if (!(child = malloc(strlen(path) + strlen(name) + 2))) continue;
            sprintf(child, "%s/%s", strcmp(path, "/") ? path : "", name);
            w->depth++;
            walk_folder(w, id, child);
            w->depth--;
            free(child);
        }
        pst_table_close(t);
    }
    else if (ret != PST_E_NOT_FOUND) note(w, ret);
}

int walk_canonical(struct pst_file *file, FILE *out)
{
    struct walker w;
    struct pst_file_info info;
    uint32_t crc = 0;
    uint8_t uid[16];
    int ret, i;

    memset(&w, 0, sizeof(w));
    w.file = file;
    w.out = out;
    pst_get_info(file, &info);
    note(&w, ret = pst_store_get_password_crc(file, &crc));
    if (out)
    {
        fprintf(out, "format %s wver %u crypt %u password %#010x\n",
                info.format == PST_FORMAT_UNICODE ? "unicode" : "ansi", info.wver, info.crypt_method, crc);
        if (!pst_store_get_uid(file, uid))
        {
            fprintf(out, "uid ");
            for (i = 0; i < 16; i++) fprintf(out, "%02x", uid[i]);
            fprintf(out, "\n");
        }
    }
    walk_folder(&w, PST_NID_ROOT_FOLDER, "/");
    return w.first_error;
}

/* ---------------------------------------------------- generic walk -- */

struct all_ctx
{
    struct pst_file *file;
    int errors;
    unsigned int budget;
};

static void read_all_props(struct all_ctx *c, struct pst_object *obj)
{
    uint32_t i, n = pst_prop_count(obj);

    for (i = 0; i < n; i++)
    {
        struct pst_value v, e;
        uint32_t cnt, k;
        int ret = pst_prop_get_at(obj, i, &v);

        if (ret == PST_E_TOO_BIG) continue;
        if (ret)
        {
            c->errors++;
            continue;
        }
        if ((v.type & PST_MV_FLAG) && !pst_value_mv_count(&v, &cnt))
            for (k = 0; k < cnt && k < 1000; k++) pst_value_mv_get(&v, k, &e);
        if (v.type == PST_PT_OBJECT && pst_object_kind(obj) == PST_OBJ_ATTACHMENT && c->budget)
        {
            struct pst_object *sub;

            c->budget--;
            if (!pst_attachment_open_message(obj, &sub))
            {
                read_all_props(c, sub);
                pst_object_close(sub);
            }
        }
    }
}

static void read_all_cells(struct all_ctx *c, struct pst_table *t)
{
    uint32_t r, k, rows = pst_table_row_count(t), cols = pst_table_column_count(t);

    for (r = 0; r < rows && r < 10000; r++)
    {
        uint32_t id, row;

        if (pst_table_row_id(t, r, &id)) c->errors++;
        else pst_table_find_row(t, id, &row);
        for (k = 0; k < cols; k++)
        {
            struct pst_column col;
            struct pst_value v;
            int ret;

            pst_table_column(t, k, &col);
            ret = pst_table_get_cell(t, r, col.tag, &v);
            if (ret && ret != PST_E_NOT_FOUND && ret != PST_E_TOO_BIG) c->errors++;
        }
    }
}

static int all_cb(void *ctx, const struct pst_node_info *info)
{
    struct all_ctx *c = ctx;
    struct pst_object *obj;
    struct pst_table *t;

    if (!c->budget) return 1;
    c->budget--;
    if (!pst_object_open(c->file, info->nid, &obj))
    {
        read_all_props(c, obj);
        if (pst_object_kind(obj) == PST_OBJ_MESSAGE)
        {
            struct pst_table *at;

            if (!pst_message_open_table(obj, PST_NID_RECIPIENT_TABLE, &at))
            {
                read_all_cells(c, at);
                pst_table_close(at);
            }
            if (!pst_message_open_table(obj, PST_NID_ATTACHMENT_TABLE, &at))
            {
                uint32_t r, n = pst_table_row_count(at);

                read_all_cells(c, at);
                for (r = 0; r < n && r < 1000; r++)
                {
                    uint32_t id;
                    struct pst_object *att;

                    if (pst_table_row_id(at, r, &id)) continue;
                    if (!pst_message_open_attachment(obj, id, &att))
                    {
                        read_all_props(c, att);
                        pst_object_close(att);
                    }
                }
                pst_table_close(at);
            }
        }
        pst_object_close(obj);
    }
    else if (!pst_table_open(c->file, info->nid, &t))
    {
        read_all_cells(c, t);
        pst_table_close(t);
    }
    return 0;
}

int walk_all_nodes(struct pst_file *file)
{
    struct all_ctx c;
    struct pst_namemap *map;
    int ret;

    c.file = file;
    c.errors = 0;
    c.budget = 20000;
    if ((ret = pst_node_foreach(file, all_cb, &c)) && ret != 1) c.errors++;
    if (!pst_namemap_open(file, &map))
    {
        uint32_t i, n = pst_namemap_count(map);

        for (i = 0; i < n; i++)
        {
            struct pst_name name;
            uint16_t id;

            if (!pst_namemap_get_name(map, (uint16_t)(0x8000 + i), &name))
                pst_namemap_get_id(map, &name, &id);
        }
        pst_namemap_close(map);
    }
    return c.errors;
}
