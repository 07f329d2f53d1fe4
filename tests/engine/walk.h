/* Shared walking code of pstwalk, the fuzz target and the tests. */
#ifndef PST_TEST_WALK_H
#define PST_TEST_WALK_H

#include <stdio.h>
#include "pst.h"

/* Canonical dump of folders, messages, recipients, attachments (out may be
 * NULL: walk without printing).  Returns the first engine error met (the
 * walk goes on past errors) or PST_OK. */
int walk_canonical(struct pst_file *file, FILE *out);
/* Opens every node as a PC or TC as its heap says, reads every property,
 * cell, stream and subnode.  Returns the number of errors met. */
int walk_all_nodes(struct pst_file *file);
/* UTF-8 of a string value (PT_UNICODE or PT_STRING8), quoted and escaped. */
void walk_quote(const struct pst_value *v, char *out, size_t size);

#endif
