/*
 * libFuzzer target: winemapix's mapisvc.inf parser (mapisvc.c), built
 * natively through winshim/winshim.h
 * Copyright 2026 The winemapix authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "winemapix_private.h"

int LLVMFuzzerTestOneInput( const unsigned char *data, size_t size )
{
    const struct mapisvc_section *found;
    struct mapisvc_inf *inf;
    struct mapisvc_prop prop;
    unsigned int i, j;

    if (mapisvc_parse( (const char *)data, size, &inf ) != S_OK) return 0;
    for (i = 0; i < inf->count; i++)
    {
        found = mapisvc_find_section( inf, inf->sections[i].name );
        if (!found) abort();
        for (j = 0; j < inf->sections[i].count; j++)
        {
            const struct mapisvc_entry *entry = &inf->sections[i].entries[j];

            /* a key is found in its own section (names repeat, the first wins) */
            if (!mapisvc_get_value( &inf->sections[i], entry->key )) abort();
            mapisvc_get_value( found, entry->key );
            memset( &prop, 0, sizeof(prop) );
            /* property lines of provider and service sections */
            if (mapisvc_parse_prop( entry->key, entry->value, &prop )) free( prop.data );
        }
    }
    mapisvc_free( inf );
    return 0;
}
