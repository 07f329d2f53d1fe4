/*
 * libFuzzer target: every entry ID parser we have, and the round trips
 * through their builders.  This file covers winemapix's (entryid.c: wrapped
 * store entry IDs, one-off entry IDs); fuzz_entryid_pst.c covers winepst's
 * store entry ID and the engine's folder/message entry IDs.  Built natively
 * through winshim/winshim.h.
 *
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

/*
 * Every parser sees the whole input in a buffer of exactly its size (so
 * that ASan sees any overread).  Where a parser accepts, its result is
 * built again and parsed again: the second parse must give the same
 * values.  The builders are also fed values taken from the input, and
 * what they build must parse back to those values.  A failed round trip
 * aborts (libFuzzer reports it as a crash).
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "winemapix_private.h"

/* fuzz_entryid_pst.c */
extern void fuzz_winepst_entryids( const BYTE *data, ULONG size );

#define MAX_NAME 64

SCODE WINAPI MAPIAllocateBuffer( ULONG size, void **buffer )
{
    return (*buffer = malloc( size ? size : 1 )) ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

ULONG WINAPI MAPIFreeBuffer( void *buffer )
{
    free( buffer );
    return 0;
}

/* abort() and wcscmp() would be the C library's, with another calling
 * convention and another wchar_t (see winshim/winshim.h) */
static void check( BOOL ok )
{
    if (!ok) __builtin_trap();
}

static BOOL wstr_equal( const WCHAR *a, const WCHAR *b )
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

static BYTE *copy_input( const BYTE *data, ULONG size )
{
    BYTE *ret = malloc( size ? size : 1 );

    if (ret && size) memcpy( ret, data, size );
    return ret;
}

/* wrap (name, flags, inner) and unwrap it: the same three come back */
static void wrap_round_trip( const char *name, BYTE flags, ULONG size, ENTRYID *inner )
{
    ULONG wrapped_size, inner_size;
    ENTRYID *wrapped, *inner2;
    char *name2;

    if (FAILED(wrap_store_entryid( name, flags, size, inner, &wrapped_size, &wrapped ))) return;
    check( unwrap_store_entryid( wrapped_size, wrapped, &name2, &inner_size, &inner2 ) == S_OK );
    check( !strcmp( name, name2 ) );
    check( inner_size == size && (!size || !memcmp( inner, inner2, size )) );
    check( store_entryid_wrap_flags( wrapped ) == flags );
    MAPIFreeBuffer( wrapped );
}

static void fuzz_wrapped( const BYTE *data, ULONG size )
{
    ULONG inner_size, name_len;
    ENTRYID *inner;
    BYTE *buf;
    char *name, own[MAX_NAME + 1];

    if (!(buf = copy_input( data, size ))) return;
    if (unwrap_store_entryid( size, (ENTRYID *)buf, &name, &inner_size, &inner ) == S_OK)
    {
        /* everything handed back lies inside the entry ID */
        check( (BYTE *)name >= buf && (BYTE *)name + strlen( name ) < buf + size );
        check( (BYTE *)inner >= buf && (BYTE *)inner + inner_size == buf + size );
        wrap_round_trip( name, store_entryid_wrap_flags( (ENTRYID *)buf ), inner_size, inner );
    }
    free( buf );

    /* the builder on values from the input: a name, flags, the rest inner */
    if (size < 2) return;
    name_len = data[0] % (MAX_NAME + 1);
    if (name_len > size - 2) name_len = size - 2;
    memcpy( own, data + 2, name_len );
    own[name_len] = 0;
    if (!(buf = copy_input( data + 2 + name_len, size - 2 - name_len ))) return;
    wrap_round_trip( own, data[1], size - 2 - name_len, (ENTRYID *)buf );
    free( buf );
}

/* create a one-off from three strings and parse it: the same strings and
 * flags come back */
static void one_off_round_trip( WCHAR *strings[3], BOOL unicode, BOOL no_rich_info )
{
    WCHAR *strings2[3];
    ENTRYID *entry;
    ULONG size, i;
    WORD flags;

    if (FAILED(one_off_create( strings[0], strings[1], strings[2], unicode, no_rich_info, &size, &entry ))) return;
    check( is_one_off( size, entry ) );
    check( one_off_parse( size, entry, strings2, &flags ) == S_OK );
    check( !!(flags & MAPI_ONE_OFF_UNICODE) == !!unicode );
    check( !!(flags & MAPI_ONE_OFF_NO_RICH_INFO) == !!no_rich_info );
    for (i = 0; i < 3; i++)
    {
        check( wstr_equal( strings[i] ? strings[i] : L"", strings2[i] ) );
        free( strings2[i] );
    }
    MAPIFreeBuffer( entry );
}

static void fuzz_one_off( const BYTE *data, ULONG size )
{
    WCHAR *strings[3], own[3][MAX_NAME + 1];
    ULONG i, pos;
    BOOL unicode;
    WORD flags;
    BYTE *buf;

    if (!(buf = copy_input( data, size ))) return;
    if (one_off_parse( size, (ENTRYID *)buf, strings, &flags ) == S_OK)
    {
        check( is_one_off( size, (ENTRYID *)buf ) );
        /* strings read from an ANSI one-off are Latin-1 in the shim, so
         * both kinds survive being built again */
        one_off_round_trip( strings, !!(flags & MAPI_ONE_OFF_UNICODE), !!(flags & MAPI_ONE_OFF_NO_RICH_INFO) );
        for (i = 0; i < 3; i++) free( strings[i] );
    }
    free( buf );

    /* the builder on strings from the input (no NULs inside; ANSI ones
     * within Latin-1) */
    if (!size) return;
    unicode = data[0] & 1;
    for (i = 0, pos = 1; i < 3; i++)
    {
        ULONG len = pos < size ? data[pos++] % (MAX_NAME + 1) : 0, k;

        for (k = 0; k < len && pos + 1 < size; k++, pos += 2)
        {
            own[i][k] = data[pos] | data[pos + 1] << 8;
            if (!unicode) own[i][k] &= 0xff;
            if (!own[i][k]) own[i][k] = 'x';
        }
        own[i][k] = 0;
        strings[i] = own[i];
    }
    if (data[0] & 4) strings[0] = NULL;     /* no display name */
    one_off_round_trip( strings, unicode, !!(data[0] & 2) );
}

int LLVMFuzzerTestOneInput( const unsigned char *data, size_t size )
{
    if (size > 0x10000) return 0;
    fuzz_wrapped( data, size );
    fuzz_one_off( data, size );
    fuzz_winepst_entryids( data, size );
    return 0;
}
