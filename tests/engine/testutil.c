/* Helpers shared by the engine tests. */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "pst_private.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

const char *const sample_names[] =
{
    "javalibpst_dist-list.pst",
    "javalibpst_passworded.pst",
    "outlook-pst-rs_Empty.pst",
    "pstsdk_sample1.pst",
    "pstsdk_sample2.pst",
    "pstsdk_submessage.pst",
    "pstsdk_test_ansi.pst",
    "pstsdk_test_unicode.pst",
};
const unsigned int sample_count = sizeof(sample_names) / sizeof(sample_names[0]);

const char *shared_dir(void)
{
    static char dir[4096];
    const char *env = getenv("PST_SHARED_DIR");
    char probe[4200];
    struct stat st;

    if (env && *env) snprintf(dir, sizeof(dir), "%s", env);
    else snprintf(dir, sizeof(dir), "%s/../../../shared", SRCDIR);
    snprintf(probe, sizeof(probe), "%s/data/pst/%s", dir, sample_names[0]);
    if (stat(probe, &st)) return NULL;
    return dir;
}

const char *sample_path(const char *name)
{
    static char path[4400];
    const char *dir = shared_dir();

    snprintf(path, sizeof(path), "%s/data/pst/%s", dir ? dir : ".", name);
    return path;
}

uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    long len;

    *size = 0;
    if (!f) return NULL;
    if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)
            && (data = malloc(len ? (size_t)len : 1)))
    {
        if (fread(data, 1, (size_t)len, f) != (size_t)len)
        {
            free(data);
            data = NULL;
        }
        else *size = (size_t)len;
    }
    fclose(f);
    return data;
}

int open_memory(const uint8_t *data, size_t size, struct pst_io **io, struct pst_file **file)
{
    int ret;

    *file = NULL;
    if ((ret = pst_io_open_memory(data, size, 0, io))) return ret;
    if ((ret = pst_open(*io, NULL, file, NULL, 0)))
    {
        (*io)->close(*io);
        *io = NULL;
    }
    return ret;
}

void close_memory(struct pst_io *io, struct pst_file *file)
{
    pst_close(file);
    if (io) io->close(io);
}

char *run_capture(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    int st;

    if (status) *status = -1;
    if (!p) return NULL;
    for (;;)
    {
        if (cap - len < 4096)
        {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);

            if (!nb) break;
            buf = nb;
        }
        if (!(n = fread(buf + len, 1, cap - len - 1, p))) break;
        len += n;
    }
    if (buf) buf[len] = 0;
    st = pclose(p);
    if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return buf;
}

int have_program(const char *path)
{
    return !access(path, X_OK);
}

void fix_header_crc(uint8_t *data, size_t size)
{
    uint16_t ver;

    if (size < 512) return;
    ver = (uint16_t)(data[10] | (data[11] << 8));
    pst_wr32(data + 4, pst_crc32(0, data + 8, 471));
    if (ver >= 23 && size >= 564) pst_wr32(data + 524, pst_crc32(0, data + 8, 516));
}
