/*
 * Miscellaneous MAPI utility exports, and the entry points not implemented yet
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

#include <string.h>

#include "winemapix_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(mapix);

/* The string helpers are ANSI in the DLL whatever mapiutil.h says under
 * __WINESRC__, and the Ft* helpers are inline in Wine's header, so these
 * use their own C names; the .spec gives them their MAPI names. */

static int hex_value( char c )
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/***********************************************************************
 *              HexFromBin (winemapix.@)
 */
void WINAPI mapix_HexFromBin( BYTE *bin, int count, char *out )
{
    static const char digits[] = "0123456789ABCDEF";
    int i;

    TRACE( "%p, %d, %p.\n", bin, count, out );

    if (!out) return;
    for (i = 0; i < count; i++)
    {
        *out++ = digits[bin[i] >> 4];
        *out++ = digits[bin[i] & 0xf];
    }
    *out = 0;
}

/* Converts pairs of hex digits; returns the number of bytes, or -1 for a
 * bad digit, an odd length or more than max bytes. */
static int bin_from_hex( const char *str, BYTE *out, ULONG max )
{
    ULONG count = 0;
    int hi, lo;

    while (*str)
    {
        if ((hi = hex_value( str[0] )) < 0 || (lo = hex_value( str[1] )) < 0) return -1;
        if (count >= max) return -1;
        out[count++] = (hi << 4) | lo;
        str += 2;
    }
    return count;
}

/***********************************************************************
 *              FBinFromHex (winemapix.@)
 */
BOOL WINAPI mapix_FBinFromHex( char *str, BYTE *out )
{
    TRACE( "%s, %p.\n", debugstr_a(str), out );

    if (!str || !out) return FALSE;
    return bin_from_hex( str, out, ~0u ) >= 0;
}

/***********************************************************************
 *              ScBinFromHexBounded (winemapix.@)
 */
SCODE WINAPI mapix_ScBinFromHexBounded( char *str, BYTE *out, ULONG size )
{
    TRACE( "%s, %p, %lu.\n", debugstr_a(str), out, size );

    if (!str || !out) return MAPI_E_INVALID_PARAMETER;
    return bin_from_hex( str, out, size ) >= 0 ? S_OK : MAPI_E_INVALID_PARAMETER;
}

/***********************************************************************
 *              UFromSz (winemapix.@)
 */
UINT WINAPI UFromSz( const char *str )
{
    UINT ret = 0;

    TRACE( "%s.\n", debugstr_a(str) );

    if (!str) return 0;
    while (*str >= '0' && *str <= '9') ret = ret * 10 + (*str++ - '0');
    return ret;
}

/***********************************************************************
 *              UlFromSzHex (winemapix.@)
 */
ULONG WINAPI mapix_UlFromSzHex( const char *str )
{
    ULONG ret = 0;
    int digit;

    TRACE( "%s.\n", debugstr_a(str) );

    if (!str) return 0;
    while ((digit = hex_value( *str )) >= 0)
    {
        ret = (ret << 4) | digit;
        str++;
    }
    return ret;
}

/***********************************************************************
 *              SzFindCh (winemapix.@)
 */
char * WINAPI mapix_SzFindCh( const char *str, USHORT ch )
{
    TRACE( "%s, %#x.\n", debugstr_a(str), ch );

    if (!str) return NULL;
    return strchr( str, (char)ch );
}

/***********************************************************************
 *              SzFindLastCh (winemapix.@)
 */
char * WINAPI mapix_SzFindLastCh( const char *str, USHORT ch )
{
    TRACE( "%s, %#x.\n", debugstr_a(str), ch );

    if (!str) return NULL;
    return strrchr( str, (char)ch );
}

/***********************************************************************
 *              SzFindSz (winemapix.@)
 */
char * WINAPI mapix_SzFindSz( const char *str, const char *sub )
{
    TRACE( "%s, %s.\n", debugstr_a(str), debugstr_a(sub) );

    if (!str || !sub) return NULL;
    return strstr( str, sub );
}

/***********************************************************************
 *              IsBadBoundedStringPtr (winemapix.@)
 *
 * TRUE unless str is a readable string shorter than max characters.
 */
BOOL WINAPI IsBadBoundedStringPtr( const void *str, UINT max )
{
    TRACE( "%p, %u.\n", str, max );

    if (!str || IsBadStringPtrA( str, ~(UINT_PTR)0 )) return TRUE;
    return strlen( str ) >= max;
}

/***********************************************************************
 *              UlAddRef (winemapix.@)
 */
ULONG WINAPI UlAddRef( void *unk )
{
    TRACE( "%p.\n", unk );
    return IUnknown_AddRef( (IUnknown *)unk );
}

/***********************************************************************
 *              UlRelease (winemapix.@)
 */
ULONG WINAPI UlRelease( void *unk )
{
    TRACE( "%p.\n", unk );

    if (!unk) return 0;
    return IUnknown_Release( (IUnknown *)unk );
}

/***********************************************************************
 *              FEqualNames (winemapix.@)
 */
BOOL WINAPI FEqualNames( LPMAPINAMEID name1, LPMAPINAMEID name2 )
{
    TRACE( "%p, %p.\n", name1, name2 );

    if (!name1 || !name2) return name1 == name2;
    if (name1->ulKind != name2->ulKind) return FALSE;
    if (name1->lpguid != name2->lpguid)
    {
        if (!name1->lpguid || !name2->lpguid || !IsEqualGUID( name1->lpguid, name2->lpguid )) return FALSE;
    }
    if (name1->ulKind == MNID_STRING)
    {
        if (!name1->Kind.lpwstrName || !name2->Kind.lpwstrName)
            return name1->Kind.lpwstrName == name2->Kind.lpwstrName;
        /* documented as case-sensitive */
        return !wcscmp( name1->Kind.lpwstrName, name2->Kind.lpwstrName );
    }
    return name1->Kind.lID == name2->Kind.lID;
}

/* FILETIME arithmetic on unsigned 64-bit values. */

static inline ULONGLONG u64_from_ft( FILETIME ft )
{
    return ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

static inline FILETIME ft_from_u64( ULONGLONG value )
{
    FILETIME ft;

    ft.dwLowDateTime = (DWORD)value;
    ft.dwHighDateTime = (DWORD)(value >> 32);
    return ft;
}

/***********************************************************************
 *              FtAddFt (winemapix.@)
 */
FILETIME WINAPI mapix_FtAddFt( FILETIME left, FILETIME right )
{
    TRACE( "%#lx:%#lx, %#lx:%#lx.\n", left.dwHighDateTime, left.dwLowDateTime,
           right.dwHighDateTime, right.dwLowDateTime );
    return ft_from_u64( u64_from_ft( left ) + u64_from_ft( right ) );
}

/***********************************************************************
 *              FtAdcFt (winemapix.@)
 */
FILETIME WINAPI mapix_FtAdcFt( FILETIME left, FILETIME right, WORD *carry )
{
    ULONGLONG a = u64_from_ft( left ), sum;
    WORD out;

    TRACE( "%#lx:%#lx, %#lx:%#lx, %p.\n", left.dwHighDateTime, left.dwLowDateTime,
           right.dwHighDateTime, right.dwLowDateTime, carry );

    sum = a + u64_from_ft( right );
    out = sum < a;
    if (carry && *carry)
    {
        if (++sum == 0) out = 1;
    }
    if (carry) *carry = out;
    return ft_from_u64( sum );
}

/***********************************************************************
 *              FtSubFt (winemapix.@)
 */
FILETIME WINAPI mapix_FtSubFt( FILETIME left, FILETIME right )
{
    TRACE( "%#lx:%#lx, %#lx:%#lx.\n", left.dwHighDateTime, left.dwLowDateTime,
           right.dwHighDateTime, right.dwLowDateTime );
    return ft_from_u64( u64_from_ft( left ) - u64_from_ft( right ) );
}

/***********************************************************************
 *              FtNegFt (winemapix.@)
 */
FILETIME WINAPI mapix_FtNegFt( FILETIME ft )
{
    TRACE( "%#lx:%#lx.\n", ft.dwHighDateTime, ft.dwLowDateTime );
    return ft_from_u64( 0 - u64_from_ft( ft ) );
}

/***********************************************************************
 *              FtMulDw (winemapix.@)
 */
FILETIME WINAPI mapix_FtMulDw( DWORD factor, FILETIME ft )
{
    TRACE( "%lu, %#lx:%#lx.\n", factor, ft.dwHighDateTime, ft.dwLowDateTime );
    return ft_from_u64( factor * u64_from_ft( ft ) );
}

/***********************************************************************
 *              FtMulDwDw (winemapix.@)
 */
FILETIME WINAPI mapix_FtMulDwDw( DWORD left, DWORD right )
{
    TRACE( "%lu, %lu.\n", left, right );
    return ft_from_u64( (ULONGLONG)left * right );
}

/***********************************************************************
 *              MapStorageSCode (winemapix.@)
 *
 * Maps a structured storage error to the MAPI error a caller expects.
 */
SCODE WINAPI MapStorageSCode( SCODE sc )
{
    TRACE( "%#lx.\n", sc );

    if (SUCCEEDED(sc)) return sc;
    switch (sc)
    {
    case STG_E_INSUFFICIENTMEMORY:
    case E_OUTOFMEMORY:             return MAPI_E_NOT_ENOUGH_MEMORY;
    case STG_E_ACCESSDENIED:
    case STG_E_SHAREVIOLATION:
    case STG_E_LOCKVIOLATION:       return MAPI_E_NO_ACCESS;
    case STG_E_FILENOTFOUND:
    case STG_E_PATHNOTFOUND:        return MAPI_E_NOT_FOUND;
    case STG_E_MEDIUMFULL:          return MAPI_E_NOT_ENOUGH_DISK;
    case STG_E_INVALIDPARAMETER:
    case E_INVALIDARG:              return MAPI_E_INVALID_PARAMETER;
    case STG_E_INVALIDFUNCTION:     return MAPI_E_NO_SUPPORT;
    }
    return MAPI_E_CALL_FAILED;
}

/* Entry points not implemented yet.  Each reports once and fails the way
 * its documentation describes a failure. */

/* Simple MAPI's own code, which clashes with mapicode.h's names in mapi.h */
#define SIMPLE_MAPI_E_NOT_SUPPORTED 26

/***********************************************************************
 *              BuildDisplayTable (winemapix.@)
 */
HRESULT WINAPI BuildDisplayTable( LPALLOCATEBUFFER alloc, LPALLOCATEMORE more, LPFREEBUFFER free_buffer, void *malloc, HINSTANCE instance, UINT count, void *pages, ULONG flags, LPMAPITABLE *table, void **table_data )
{
    static LONG once;

    TRACE( "%p, %p, %p, %p, %p, %u, %p, %#lx, %p, %p.\n", alloc, more, free_buffer, malloc, instance, count, pages, flags, table, table_data );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              ChangeIdleRoutine (winemapix.@)
 */
void WINAPI ChangeIdleRoutine( void *ftg, void *routine, void *param, short priority, ULONG csec, USHORT flags, USHORT change )
{
    static LONG once;

    TRACE( "%p, %p, %p, %d, %lu, %#x, %#x.\n", ftg, routine, param, priority, csec, flags, change );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
}

/***********************************************************************
 *              DeregisterIdleRoutine (winemapix.@)
 */
void WINAPI DeregisterIdleRoutine( void *ftg )
{
    static LONG once;

    TRACE( "%p.\n", ftg );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
}

/***********************************************************************
 *              EnableIdleRoutine (winemapix.@)
 */
void WINAPI EnableIdleRoutine( void *ftg, BOOL enable )
{
    static LONG once;

    TRACE( "%p, %d.\n", ftg, enable );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
}

/***********************************************************************
 *              FtgRegisterIdleRoutine (winemapix.@)
 */
void * WINAPI FtgRegisterIdleRoutine( void *routine, void *param, short priority, ULONG csec, USHORT flags )
{
    static LONG once;

    TRACE( "%p, %p, %d, %lu, %#x.\n", routine, param, priority, csec, flags );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return NULL;
}

/***********************************************************************
 *              MAPIInitIdle (winemapix.@)
 */
LONG WINAPI MAPIInitIdle( void *reserved )
{
    static LONG once;

    TRACE( "%p.\n", reserved );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return 1;
}

/***********************************************************************
 *              MAPIDeinitIdle (winemapix.@)
 */
void WINAPI MAPIDeinitIdle( void )
{
    static LONG once;

    TRACE( "\n" );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
}

/***********************************************************************
 *              GetAttribIMsgOnIStg (winemapix.@)
 */
HRESULT WINAPI GetAttribIMsgOnIStg( void *object, LPSPropTagArray tags, void **attrs )
{
    static LONG once;

    TRACE( "%p, %p, %p.\n", object, tags, attrs );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              SetAttribIMsgOnIStg (winemapix.@)
 */
HRESULT WINAPI SetAttribIMsgOnIStg( void *object, LPSPropTagArray tags, void *attrs, LPSPropProblemArray *problems )
{
    static LONG once;

    TRACE( "%p, %p, %p, %p.\n", object, tags, attrs, problems );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              GetDefCachedMode (winemapix.@)
 */
HRESULT WINAPI GetDefCachedMode( BOOL *cached )
{
    static LONG once;

    TRACE( "%p.\n", cached );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              GetDefCachedModeDownloadPubFoldFavs (winemapix.@)
 */
HRESULT WINAPI GetDefCachedModeDownloadPubFoldFavs( BOOL *download )
{
    static LONG once;

    TRACE( "%p.\n", download );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              GetTnefStreamCodepage (winemapix.@)
 */
HRESULT WINAPI GetTnefStreamCodepage( IStream *stream, ULONG *codepage, ULONG *subcodepage )
{
    static LONG once;

    TRACE( "%p, %p, %p.\n", stream, codepage, subcodepage );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrAddColumns (winemapix.@)
 */
HRESULT WINAPI HrAddColumns( LPMAPITABLE table, LPSPropTagArray tags, LPALLOCATEBUFFER alloc, LPFREEBUFFER free_buffer )
{
    static LONG once;

    TRACE( "%p, %p, %p, %p.\n", table, tags, alloc, free_buffer );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrAddColumnsEx (winemapix.@)
 */
HRESULT WINAPI HrAddColumnsEx( LPMAPITABLE table, LPSPropTagArray tags, LPALLOCATEBUFFER alloc, LPFREEBUFFER free_buffer, void (WINAPI *filter)(LPSPropTagArray) )
{
    static LONG once;

    TRACE( "%p, %p, %p, %p, %p.\n", table, tags, alloc, free_buffer, filter );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrCompareABEntryIDsWithExchangeContext (winemapix.@)
 */
HRESULT WINAPI HrCompareABEntryIDsWithExchangeContext( void *support, void *context, ULONG cb1, LPENTRYID id1, ULONG cb2, LPENTRYID id2, ULONG flags, ULONG *result )
{
    static LONG once;

    TRACE( "%p, %p, %lu, %p, %lu, %p, %#lx, %p.\n", support, context, cb1, id1, cb2, id2, flags, result );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrComposeEID (winemapix.@)
 */
HRESULT WINAPI HrComposeEID( LPMAPISESSION session, ULONG cb_store, BYTE *store, ULONG cb_msg, LPENTRYID msg, ULONG *cb_out, LPENTRYID *out )
{
    static LONG once;

    TRACE( "%p, %lu, %p, %lu, %p, %p, %p.\n", session, cb_store, store, cb_msg, msg, cb_out, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrComposeMsgID (winemapix.@)
 */
HRESULT WINAPI HrComposeMsgID( LPMAPISESSION session, ULONG cb_store, BYTE *store, ULONG cb_msg, LPENTRYID msg, char **out )
{
    static LONG once;

    TRACE( "%p, %lu, %p, %lu, %p, %p.\n", session, cb_store, store, cb_msg, msg, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrCreateNewWrappedObject (winemapix.@)
 */
HRESULT WINAPI HrCreateNewWrappedObject( void *object, ULONG type, ULONG flags, const IID *iid, const ULONG *ext, BOOL native, void **out )
{
    static LONG once;

    TRACE( "%p, %lu, %#lx, %p, %p, %d, %p.\n", object, type, flags, iid, ext, native, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrCreateOfflineObj (winemapix.@)
 */
HRESULT WINAPI HrCreateOfflineObj( ULONG flags, void *params, void **out )
{
    static LONG once;

    TRACE( "%#lx, %p, %p.\n", flags, params, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrDecomposeEID (winemapix.@)
 */
HRESULT WINAPI HrDecomposeEID( LPMAPISESSION session, ULONG cb, LPENTRYID id, ULONG *cb_store, LPENTRYID *store, ULONG *cb_msg, LPENTRYID *msg )
{
    static LONG once;

    TRACE( "%p, %lu, %p, %p, %p, %p, %p.\n", session, cb, id, cb_store, store, cb_msg, msg );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrDecomposeMsgID (winemapix.@)
 */
HRESULT WINAPI HrDecomposeMsgID( LPMAPISESSION session, char *id, ULONG *cb_store, LPENTRYID *store, ULONG *cb_msg, LPENTRYID *msg )
{
    static LONG once;

    TRACE( "%p, %p, %p, %p, %p, %p.\n", session, id, cb_store, store, cb_msg, msg );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrDoABDetailsWithExchangeContext (winemapix.@)
 */
HRESULT WINAPI HrDoABDetailsWithExchangeContext( void *context, void *ab, ULONG_PTR *ui_param, void *dismiss, void *dismiss_context, ULONG cb, LPENTRYID id, void *callback, void *callback_context, char *button, ULONG flags )
{
    static LONG once;

    TRACE( "%p, %p, %p, %p, %p, %lu, %p, %p, %p, %p, %#lx.\n", context, ab, ui_param, dismiss, dismiss_context, cb, id, callback, callback_context, button, flags );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrDoABDetailsWithProviderUID (winemapix.@)
 */
HRESULT WINAPI HrDoABDetailsWithProviderUID( const MAPIUID *uid, void *ab, ULONG_PTR *ui_param, void *dismiss, void *dismiss_context, ULONG cb, LPENTRYID id, void *callback, void *callback_context, char *button, ULONG flags )
{
    static LONG once;

    TRACE( "%p, %p, %p, %p, %p, %lu, %p, %p, %p, %p, %#lx.\n", uid, ab, ui_param, dismiss, dismiss_context, cb, id, callback, callback_context, button, flags );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrEntryIDFromSz (winemapix.@)
 */
HRESULT WINAPI HrEntryIDFromSz( char *str, ULONG *cb, LPENTRYID *id )
{
    static LONG once;

    TRACE( "%p, %p, %p.\n", str, cb, id );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrSzFromEntryID (winemapix.@)
 */
HRESULT WINAPI HrSzFromEntryID( ULONG cb, LPENTRYID id, char **str )
{
    static LONG once;

    TRACE( "%lu, %p, %p.\n", cb, id, str );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrGetAutoDiscoverXML (winemapix.@)
 */
HRESULT WINAPI HrGetAutoDiscoverXML( const WCHAR *address, const WCHAR *password, HANDLE cancel, ULONG flags, IStream **out )
{
    static LONG once;

    TRACE( "%p, %p, %p, %#lx, %p.\n", address, password, cancel, flags, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrGetGALFromEmsmdbUID (winemapix.@)
 */
HRESULT WINAPI HrGetGALFromEmsmdbUID( LPMAPISESSION session, void *ab, const MAPIUID *uid, ULONG *cb, LPENTRYID *id )
{
    static LONG once;

    TRACE( "%p, %p, %p, %p, %p.\n", session, ab, uid, cb, id );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrOpenABEntryUsingDefaultContext (winemapix.@)
 */
HRESULT WINAPI HrOpenABEntryUsingDefaultContext( LPMAPISESSION session, void *ab, ULONG cb, LPENTRYID id, const IID *iid, ULONG flags, ULONG *type, IUnknown **out )
{
    static LONG once;

    TRACE( "%p, %p, %lu, %p, %p, %#lx, %p, %p.\n", session, ab, cb, id, iid, flags, type, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrOpenABEntryWithExchangeContext (winemapix.@)
 */
HRESULT WINAPI HrOpenABEntryWithExchangeContext( void *context, void *ab, ULONG cb, LPENTRYID id, const IID *iid, ULONG flags, ULONG *type, IUnknown **out )
{
    static LONG once;

    TRACE( "%p, %p, %lu, %p, %p, %#lx, %p, %p.\n", context, ab, cb, id, iid, flags, type, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrOpenABEntryWithProviderUID (winemapix.@)
 */
HRESULT WINAPI HrOpenABEntryWithProviderUID( const MAPIUID *uid, void *ab, ULONG cb, LPENTRYID id, const IID *iid, ULONG flags, ULONG *type, IUnknown **out )
{
    static LONG once;

    TRACE( "%p, %p, %lu, %p, %p, %#lx, %p, %p.\n", uid, ab, cb, id, iid, flags, type, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrOpenABEntryWithProviderUIDSupport (winemapix.@)
 */
HRESULT WINAPI HrOpenABEntryWithProviderUIDSupport( const MAPIUID *uid, void *support, ULONG cb, LPENTRYID id, const IID *iid, ULONG flags, ULONG *type, IUnknown **out )
{
    static LONG once;

    TRACE( "%p, %p, %lu, %p, %p, %#lx, %p, %p.\n", uid, support, cb, id, iid, flags, type, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrOpenABEntryWithResolvedRow (winemapix.@)
 */
HRESULT WINAPI HrOpenABEntryWithResolvedRow( LPSRow row, void *ab, ULONG cb, LPENTRYID id, const IID *iid, ULONG flags, ULONG *type, IUnknown **out )
{
    static LONG once;

    TRACE( "%p, %p, %lu, %p, %p, %#lx, %p, %p.\n", row, ab, cb, id, iid, flags, type, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrOpenABEntryWithSupport (winemapix.@)
 */
HRESULT WINAPI HrOpenABEntryWithSupport( void *support, ULONG cb, LPENTRYID id, const IID *iid, ULONG flags, ULONG *type, IUnknown **out )
{
    static LONG once;

    TRACE( "%p, %lu, %p, %p, %#lx, %p, %p.\n", support, cb, id, iid, flags, type, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrOpenOfflineObj (winemapix.@)
 */
HRESULT WINAPI HrOpenOfflineObj( ULONG flags, const WCHAR *profile, const GUID *provider, const GUID *server, void **out )
{
    static LONG once;

    TRACE( "%#lx, %p, %p, %p, %p.\n", flags, profile, provider, server, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              HrValidateIPMSubtree (winemapix.@)
 */
HRESULT WINAPI HrValidateIPMSubtree( LPMDB store, ULONG flags, ULONG *count, LPSPropValue *props, LPMAPIERROR *error )
{
    static LONG once;

    TRACE( "%p, %#lx, %p, %p, %p.\n", store, flags, count, props, error );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              LaunchWizard (winemapix.@)
 */
HRESULT WINAPI LaunchWizard( HWND parent, ULONG flags, const char **services, ULONG cb_profile, char *profile )
{
    static LONG once;

    TRACE( "%p, %#lx, %p, %lu, %p.\n", parent, flags, services, cb_profile, profile );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              MAPICrashRecovery (winemapix.@)
 */
HRESULT WINAPI MAPICrashRecovery( ULONG flags )
{
    static LONG once;

    TRACE( "%#lx.\n", flags );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              MAPIOpenFormMgr (winemapix.@)
 */
HRESULT WINAPI MAPIOpenFormMgr( LPMAPISESSION session, void **out )
{
    static LONG once;

    TRACE( "%p, %p.\n", session, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              MAPIOpenLocalFormContainer (winemapix.@)
 */
HRESULT WINAPI MAPIOpenLocalFormContainer( void **out )
{
    static LONG once;

    TRACE( "%p.\n", out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              OpenTnefStream (winemapix.@)
 */
HRESULT WINAPI OpenTnefStream( void *support, IStream *stream, char *key, ULONG flags, LPMESSAGE message, WORD key_value, void **out )
{
    static LONG once;

    TRACE( "%p, %p, %p, %#lx, %p, %#x, %p.\n", support, stream, key, flags, message, key_value, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              OpenTnefStreamEx (winemapix.@)
 */
HRESULT WINAPI OpenTnefStreamEx( void *support, IStream *stream, char *key, ULONG flags, LPMESSAGE message, WORD key_value, LPADRBOOK ab, void **out )
{
    static LONG once;

    TRACE( "%p, %p, %p, %#lx, %p, %#x, %p, %p.\n", support, stream, key, flags, message, key_value, ab, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              RTFSync (winemapix.@)
 */
HRESULT WINAPI RTFSync( LPMESSAGE message, ULONG flags, BOOL *updated )
{
    static LONG once;

    TRACE( "%p, %#lx, %p.\n", message, flags, updated );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              ScCreateConversationIndex (winemapix.@)
 */
SCODE WINAPI ScCreateConversationIndex( ULONG cb_parent, BYTE *parent, ULONG *cb_index, BYTE **index )
{
    static LONG once;

    TRACE( "%lu, %p, %p, %p.\n", cb_parent, parent, cb_index, index );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              ScLocalPathFromUNC (winemapix.@)
 */
SCODE WINAPI ScLocalPathFromUNC( char *unc, char *local, UINT cch )
{
    static LONG once;

    TRACE( "%p, %p, %u.\n", unc, local, cch );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              ScUNCFromLocalPath (winemapix.@)
 */
SCODE WINAPI ScUNCFromLocalPath( char *local, char *unc, UINT cch )
{
    static LONG once;

    TRACE( "%p, %p, %u.\n", local, unc, cch );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              ScMAPIXFromSMAPI (winemapix.@)
 */
SCODE WINAPI ScMAPIXFromSMAPI( ULONG_PTR session, ULONG flags, const IID *iid, LPMAPISESSION *out )
{
    static LONG once;

    TRACE( "%Iu, %#lx, %p, %p.\n", session, flags, iid, out );
    if (!InterlockedExchange( &once, 1 )) FIXME( "stub!\n" );
    return MAPI_E_NO_SUPPORT;
}

/***********************************************************************
 *              MAPIAddress (winemapix.@)
 */
ULONG WINAPI MAPIAddress( ULONG_PTR session, ULONG_PTR ui_param, char *caption, ULONG edit_fields, char *labels, ULONG recip_count, void *recips, ULONG flags, ULONG reserved, ULONG *new_count, void **new_recips )
{
    static LONG once;

    TRACE( "%Iu, %Iu, %p, %lu, %p, %lu, %p, %#lx, %lu, %p, %p.\n", session, ui_param, caption, edit_fields, labels, recip_count, recips, flags, reserved, new_count, new_recips );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPIDeleteMail (winemapix.@)
 */
ULONG WINAPI MAPIDeleteMail( ULONG_PTR session, ULONG_PTR ui_param, char *id, ULONG flags, ULONG reserved )
{
    static LONG once;

    TRACE( "%Iu, %Iu, %p, %#lx, %lu.\n", session, ui_param, id, flags, reserved );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPIDetails (winemapix.@)
 */
ULONG WINAPI MAPIDetails( ULONG_PTR session, ULONG_PTR ui_param, void *recip, ULONG flags, ULONG reserved )
{
    static LONG once;

    TRACE( "%Iu, %Iu, %p, %#lx, %lu.\n", session, ui_param, recip, flags, reserved );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPIFindNext (winemapix.@)
 */
ULONG WINAPI MAPIFindNext( ULONG_PTR session, ULONG_PTR ui_param, char *type, char *seed, ULONG flags, ULONG reserved, char *id )
{
    static LONG once;

    TRACE( "%Iu, %Iu, %p, %p, %#lx, %lu, %p.\n", session, ui_param, type, seed, flags, reserved, id );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPILogoff (winemapix.@)
 */
ULONG WINAPI MAPILogoff( ULONG_PTR session, ULONG_PTR ui_param, ULONG flags, ULONG reserved )
{
    static LONG once;

    TRACE( "%Iu, %Iu, %#lx, %lu.\n", session, ui_param, flags, reserved );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPILogon (winemapix.@)
 */
ULONG WINAPI MAPILogon( ULONG_PTR ui_param, char *profile, char *password, ULONG flags, ULONG reserved, ULONG_PTR *session )
{
    static LONG once;

    TRACE( "%Iu, %p, %p, %#lx, %lu, %p.\n", ui_param, profile, password, flags, reserved, session );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPIReadMail (winemapix.@)
 */
ULONG WINAPI MAPIReadMail( ULONG_PTR session, ULONG_PTR ui_param, char *id, ULONG flags, ULONG reserved, void **message )
{
    static LONG once;

    TRACE( "%Iu, %Iu, %p, %#lx, %lu, %p.\n", session, ui_param, id, flags, reserved, message );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPIResolveName (winemapix.@)
 */
ULONG WINAPI MAPIResolveName( ULONG_PTR session, ULONG_PTR ui_param, char *name, ULONG flags, ULONG reserved, void **recip )
{
    static LONG once;

    TRACE( "%Iu, %Iu, %p, %#lx, %lu, %p.\n", session, ui_param, name, flags, reserved, recip );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPISaveMail (winemapix.@)
 */
ULONG WINAPI MAPISaveMail( ULONG_PTR session, ULONG_PTR ui_param, void *message, ULONG flags, ULONG reserved, char *id )
{
    static LONG once;

    TRACE( "%Iu, %Iu, %p, %#lx, %lu, %p.\n", session, ui_param, message, flags, reserved, id );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPISendDocuments (winemapix.@)
 */
ULONG WINAPI MAPISendDocuments( ULONG_PTR ui_param, char *delims, char *paths, char *names, ULONG reserved )
{
    static LONG once;

    TRACE( "%Iu, %p, %p, %p, %lu.\n", ui_param, delims, paths, names, reserved );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              MAPISendMail (winemapix.@)
 */
ULONG WINAPI MAPISendMail( ULONG_PTR session, ULONG_PTR ui_param, void *message, ULONG flags, ULONG reserved )
{
    static LONG once;

    TRACE( "%Iu, %Iu, %p, %#lx, %lu.\n", session, ui_param, message, flags, reserved );
    if (!InterlockedExchange( &once, 1 )) FIXME( "Simple MAPI is not provided by this DLL.\n" );
    return SIMPLE_MAPI_E_NOT_SUPPORTED;
}

/***********************************************************************
 *              HrValidateParameters (winemapix.@)
 */
HRESULT WINAPI HrValidateParameters( int method, void **first_arg )
{
    static LONG once;

    TRACE( "%d, %p.\n", method, first_arg );
    /* Providers call this on entry to every method and give up on failure,
     * so accept everything until the per-method checks exist. */
    if (!InterlockedExchange( &once, 1 )) FIXME( "semi-stub, parameters not validated.\n" );
    return S_OK;
}

/***********************************************************************
 *              __ValidateParameters (winemapix.@)
 */
HRESULT WINAPI __ValidateParameters( int method, void *first_arg )
{
    static LONG once;

    TRACE( "%d, %p.\n", method, first_arg );
    /* Providers call this on entry to every method and give up on failure,
     * so accept everything until the per-method checks exist. */
    if (!InterlockedExchange( &once, 1 )) FIXME( "semi-stub, parameters not validated.\n" );
    return S_OK;
}

/***********************************************************************
 *              __CPPValidateParameters (winemapix.@)
 */
HRESULT WINAPI __CPPValidateParameters( int method, void *first_arg )
{
    static LONG once;

    TRACE( "%d, %p.\n", method, first_arg );
    /* Providers call this on entry to every method and give up on failure,
     * so accept everything until the per-method checks exist. */
    if (!InterlockedExchange( &once, 1 )) FIXME( "semi-stub, parameters not validated.\n" );
    return S_OK;
}

/***********************************************************************
 *              ScGenerateMuid (winemapix.@)
 *
 * Fills a MAPIUID with a value no other call returns, for providers that
 * need unique notification keys or record keys.
 */
SCODE WINAPI ScGenerateMuid( MAPIUID *uid )
{
    TRACE( "%p.\n", uid );

    if (!uid) return MAPI_E_INVALID_PARAMETER;
    if (FAILED(CoCreateGuid( (GUID *)uid ))) return MAPI_E_CALL_FAILED;
    return S_OK;
}
