/* libFuzzer target: open a PST image from memory, walk every folder,
 * message, attachment and node, then run the strict checker. */
#include <stddef.h>
#include <stdint.h>

#include "pst.h"
#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pst_io *io;
    struct pst_file *file;
    unsigned int count;

    if (pst_io_open_memory(data, size, 0, &io)) return 0;
    if (!pst_open(io, NULL, &file, NULL, 0))
    {
        walk_canonical(file, NULL);
        walk_all_nodes(file);
        pst_check(file, NULL, NULL, &count);
        pst_close(file);
    }
    io->close(io);
    return 0;
}
