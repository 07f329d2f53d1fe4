/* pstwalk: canonical text dump of a PST file through the engine.
 * Usage: pstwalk [-c] [-a] FILE.pst
 *   -c  also run the strict checker and print its findings
 *   -a  also open every node (PC/TC) and read every value */
#include <stdio.h>
#include <string.h>

#include "pst.h"
#include "walk.h"

static void print_finding(void *ctx, const struct pst_finding *f)
{
    (void)ctx;
    printf("finding %s nid=%#x bid=%#llx offset=%#llx: %s\n", pst_check_code_name(f->code), f->nid,
           (unsigned long long)f->bid, (unsigned long long)f->offset, f->message);
}

int main(int argc, char **argv)
{
    struct pst_io *io;
    struct pst_file *file;
    char err[512];
    int i, check = 0, all = 0, ret;
    const char *path = NULL;

    for (i = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "-c")) check = 1;
        else if (!strcmp(argv[i], "-a")) all = 1;
        else path = argv[i];
    }
    if (!path)
    {
        fprintf(stderr, "usage: pstwalk [-c] [-a] FILE.pst\n");
        return 2;
    }
    if ((ret = pst_io_open_file(path, 0, &io)))
    {
        fprintf(stderr, "pstwalk: cannot open %s: %s\n", path, pst_strerror(ret));
        return 1;
    }
    if ((ret = pst_open(io, NULL, &file, err, sizeof(err))))
    {
        fprintf(stderr, "pstwalk: %s: %s (%s)\n", path, pst_strerror(ret), err);
        io->close(io);
        return 1;
    }
    ret = walk_canonical(file, stdout);
    if (ret) fprintf(stderr, "pstwalk: error during walk: %s (%s)\n", pst_strerror(ret), pst_last_error(file));
    if (all && (i = walk_all_nodes(file))) fprintf(stderr, "pstwalk: %d errors reading nodes\n", i);
    if (check)
    {
        unsigned int count = 0;

        pst_check(file, print_finding, NULL, &count);
        printf("findings %u\n", count);
    }
    pst_close(file);
    io->close(io);
    return ret ? 1 : 0;
}
