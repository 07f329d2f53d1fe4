/* Helpers shared by the engine tests. */
#ifndef PST_TESTUTIL_H
#define PST_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include "pst.h"

extern const char *const sample_names[];
extern const unsigned int sample_count;

/* Directory of the shared reference material (PST_SHARED_DIR or
 * tests/engine/../../../shared); NULL if the samples are not there. */
const char *shared_dir(void);
/* Full path of a sample in a static buffer. */
const char *sample_path(const char *name);
/* Reads a whole file; NULL on failure. */
uint8_t *read_file(const char *path, size_t *size);
/* Opens a PST from memory; on success *io and *file are set. */
int open_memory(const uint8_t *data, size_t size, struct pst_io **io, struct pst_file **file);
void close_memory(struct pst_io *io, struct pst_file *file);
/* Runs a shell command and returns its stdout (malloc'd) or NULL. */
char *run_capture(const char *cmd, int *status);
int have_program(const char *path);
/* Header CRC fix-up after editing a header field. */
void fix_header_crc(uint8_t *data, size_t size);

#endif
