/*
 * Native shim: the Win32 and CRT functions winemapix's plain-C parts call,
 * for the fuzz targets (see winshim.h)
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

/* A plain native file: no Wine header, glibc underneath.  Every function
 * has the convention Wine's headers declared for the name it replaces. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MS __attribute__((ms_abi))

typedef unsigned short wchar16;

MS void *shim_malloc( size_t size ) { return malloc( size ); }
MS void *shim_calloc( size_t count, size_t size ) { return calloc( count, size ); }
MS void *shim_realloc( void *ptr, size_t size ) { return realloc( ptr, size ); }
MS void shim_free( void *ptr ) { free( ptr ); }
MS int shim_memcmp( const void *a, const void *b, size_t n ) { return memcmp( a, b, n ); }
MS void *shim_memcpy( void *d, const void *s, size_t n ) { return memcpy( d, s, n ); }
MS void *shim_memmove( void *d, const void *s, size_t n ) { return memmove( d, s, n ); }
MS void *shim_memset( void *d, int c, size_t n ) { return memset( d, c, n ); }
MS size_t shim_strlen( const char *s ) { return strlen( s ); }
MS int shim_strcmp( const char *a, const char *b ) { return strcmp( a, b ); }

static int lower( unsigned int c )
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

MS size_t shim_wcslen( const wchar16 *str )
{
    const wchar16 *p = str;

    while (*p) p++;
    return p - str;
}

MS size_t shim_wcsnlen( const wchar16 *str, size_t max )
{
    size_t len = 0;

    while (len < max && str[len]) len++;
    return len;
}

/* Windows longs are 32 bits */
MS uint32_t shim_strtoul( const char *str, char **end, int base )
{
    unsigned long long v = strtoull( str, end, base );
    return v > 0xffffffffull ? 0xffffffffu : (uint32_t)v;
}

MS int shim_strnicmp( const char *a, const char *b, size_t n )
{
    for (; n; n--, a++, b++)
    {
        int ca = lower( (unsigned char)*a ), cb = lower( (unsigned char)*b );
        if (ca != cb) return ca - cb;
        if (!ca) break;
    }
    return 0;
}

MS int shim_stricmp( const char *a, const char *b )
{
    return shim_strnicmp( a, b, (size_t)-1 );
}

/* only debug output formats through here; it is discarded */
MS int shim_stdio_common_vsprintf( uint64_t options, char *buf, size_t size, const char *fmt, void *locale,
                                   void *args )
{
    if (buf && size) *buf = 0;
    return 0;
}

MS int shim_wine_dbg_output( const char *str ) { return 0; }
MS int shim_wine_dbg_header( int cls, void *channel, const char *function ) { return -1; }
MS const char *shim_wine_dbg_strdup( const char *str ) { return ""; }
MS int shim_IsBadStringPtrA( const char *str, uintptr_t max ) { return !str; }
MS int shim_IsBadStringPtrW( const wchar16 *str, uintptr_t max ) { return !str; }

MS int shim_lstrcmpA( const char *a, const char *b )
{
    int r = strcmp( a, b );
    return r < 0 ? -1 : r > 0;
}

MS int shim_lstrcmpW( const wchar16 *a, const wchar16 *b )
{
    while (*a && *a == *b) a++, b++;
    return *a < *b ? -1 : *a > *b;
}

#define NORM_IGNORECASE 0x00000001
#define CSTR_LESS_THAN 1
#define CSTR_EQUAL 2
#define CSTR_GREATER_THAN 3

static int compare_units( const void *a, int lena, const void *b, int lenb, int unit, uint32_t flags )
{
    int i, len = lena < lenb ? lena : lenb;

    for (i = 0; i < len; i++)
    {
        unsigned int ca = unit == 1 ? ((const unsigned char *)a)[i] : ((const wchar16 *)a)[i];
        unsigned int cb = unit == 1 ? ((const unsigned char *)b)[i] : ((const wchar16 *)b)[i];
        if (flags & NORM_IGNORECASE) ca = lower( ca ), cb = lower( cb );
        if (ca != cb) return ca < cb ? CSTR_LESS_THAN : CSTR_GREATER_THAN;
    }
    return lena == lenb ? CSTR_EQUAL : lena < lenb ? CSTR_LESS_THAN : CSTR_GREATER_THAN;
}

MS int shim_CompareStringA( uint32_t lcid, uint32_t flags, const char *a, int lena, const char *b, int lenb )
{
    if (lena < 0) lena = strlen( a );
    if (lenb < 0) lenb = strlen( b );
    return compare_units( a, lena, b, lenb, 1, flags );
}

MS int shim_CompareStringW( uint32_t lcid, uint32_t flags, const wchar16 *a, int lena, const wchar16 *b, int lenb )
{
    if (lena < 0) lena = shim_wcslen( a );
    if (lenb < 0) lenb = shim_wcslen( b );
    return compare_units( a, lena, b, lenb, 2, flags );
}

MS int32_t shim_CompareFileTime( const uint32_t *a, const uint32_t *b )
{
    uint64_t x = ((uint64_t)a[1] << 32) | a[0], y = ((uint64_t)b[1] << 32) | b[0];
    return x < y ? -1 : x > y;
}

/* Latin-1 is enough for the fuzzer: every byte is one character */
MS int shim_MultiByteToWideChar( unsigned int cp, uint32_t flags, const char *src, int srclen, wchar16 *dst,
                                 int dstlen )
{
    int i;

    if (srclen < 0) srclen = strlen( src ) + 1;
    if (!dstlen) return srclen;
    if (dstlen < srclen) return 0;
    for (i = 0; i < srclen; i++) dst[i] = (unsigned char)src[i];
    return srclen;
}

/* the inverse: characters past Latin-1 become '?' */
MS int shim_WideCharToMultiByte( unsigned int cp, uint32_t flags, const wchar16 *src, int srclen, char *dst,
                                 int dstlen, const char *defchar, int *used )
{
    int i;

    if (srclen < 0) srclen = shim_wcslen( src ) + 1;
    if (!dstlen) return srclen;
    if (dstlen < srclen) return 0;
    for (i = 0; i < srclen; i++) dst[i] = src[i] > 0xff ? '?' : (char)src[i];
    return srclen;
}

/* mapisvc_load reads the system directory's file: never in the fuzzer */
MS void *shim_CreateFileW( const wchar16 *name, uint32_t access, uint32_t share, void *sa, uint32_t creation,
                           uint32_t attributes, void *template )
{
    return (void *)(intptr_t)-1;
}
MS int shim_ReadFile( void *file, void *buffer, uint32_t count, uint32_t *read, void *overlapped ) { return 0; }
MS int shim_CloseHandle( void *handle ) { return 1; }
MS int shim_GetFileSizeEx( void *file, int64_t *size ) { return 0; }
MS unsigned int shim_GetSystemDirectoryW( wchar16 *path, unsigned int count )
{
    if (count) path[0] = 0;
    return 0;
}
