/*
 * IMAPISession::OpenAddressBook: the address book without providers
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

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "mapidefs.h"
#include "mapiguid.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapix.h"
#include "mapiab.h"

#include "wine/test.h"
#include "winemapix_test.h"

static const BYTE one_off_uid[16] = MAPI_ONE_OFF_UID;

static IAddrBook *open_book( IMAPISession **session )
{
    IAddrBook *book = NULL;
    HRESULT hr;

    hr = pMAPIXTestCreateSession( 0, session );
    ok( hr == S_OK, "got %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    hr = IMAPISession_OpenAddressBook( *session, 0, NULL, AB_NO_DIALOG, &book );
    ok( hr == S_OK, "got %#lx.\n", hr );
    return book;
}

static void test_open_address_book(void)
{
    IMAPISession *session;
    IAddrBook *book;
    IUnknown *unk;
    HRESULT hr;

    hr = pMAPIXTestCreateSession( 0, &session );
    ok( hr == S_OK, "got %#lx.\n", hr );
    if (FAILED(hr)) return;

    hr = IMAPISession_OpenAddressBook( session, 0, NULL, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr );
    book = (IAddrBook *)0xdead;
    hr = IMAPISession_OpenAddressBook( session, 0, NULL, 0x100, &book );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "got %#lx.\n", hr );
    ok( !book, "got %p.\n", book );
    hr = IMAPISession_OpenAddressBook( session, 0, &IID_IMAPISession, 0, &book );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "got %#lx.\n", hr );
    hr = IMAPISession_OpenAddressBook( session, 0, &IID_IAddrBook, AB_NO_DIALOG, &book );
    ok( hr == S_OK, "got %#lx.\n", hr );
    hr = IAddrBook_QueryInterface( book, &IID_IMAPIProp, (void **)&unk );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( unk == (IUnknown *)book, "got %p.\n", unk );
    IUnknown_Release( unk );
    hr = IAddrBook_QueryInterface( book, &IID_IMsgStore, (void **)&unk );
    ok( hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "got %#lx.\n", hr );
    IAddrBook_Release( book );
    IMAPISession_Logoff( session, 0, 0, 0 );
    IMAPISession_Release( session );
}

static void test_root_container(void)
{
    static const SizedSPropTagArray(2, tags) = { 2, { PR_OBJECT_TYPE, PR_CONTAINER_FLAGS } };
    IMAPISession *session;
    IABContainer *root;
    IMAPITable *table;
    SPropValue *props, prop;
    SPropProblemArray *problems;
    ULONG type, count;
    IAddrBook *book;
    HRESULT hr;

    if (!(book = open_book( &session ))) return;

    type = 0xdead;
    hr = IAddrBook_OpenEntry( book, 0, NULL, NULL, 0, &type, (IUnknown **)&root );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( type == MAPI_ABCONT, "got %lu.\n", type );

    hr = IABContainer_GetProps( root, (SPropTagArray *)&tags, 0, &count, &props );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( count == 2, "got %lu.\n", count );
    ok( props[0].ulPropTag == PR_OBJECT_TYPE && props[0].Value.l == MAPI_ABCONT, "got %#lx %ld.\n",
        props[0].ulPropTag, props[0].Value.l );
    ok( props[1].ulPropTag == PR_CONTAINER_FLAGS && (props[1].Value.l & AB_SUBCONTAINERS)
        && !(props[1].Value.l & (AB_RECIPIENTS | AB_MODIFIABLE)), "got %#lx %#lx.\n",
        props[1].ulPropTag, props[1].Value.l );
    pMAPIFreeBuffer( props );
    prop.ulPropTag = PR_DISPLAY_NAME_A;
    prop.Value.lpszA = (char *)"root";
    hr = IABContainer_SetProps( root, 1, &prop, &problems );
    ok( hr == MAPI_E_NO_ACCESS, "got %#lx.\n", hr );

    hr = IABContainer_GetHierarchyTable( root, 0x1000, &table );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "got %#lx.\n", hr );
    hr = IABContainer_GetHierarchyTable( root, CONVENIENT_DEPTH | MAPI_UNICODE, &table );
    ok( hr == S_OK, "got %#lx.\n", hr );
    count = 0xdead;
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( !count, "got %lu rows.\n", count );
    IMAPITable_Release( table );

    hr = IABContainer_GetContentsTable( root, 0, &table );
    ok( hr == MAPI_E_NO_SUPPORT, "got %#lx.\n", hr );
    hr = IABContainer_ResolveNames( root, NULL, 0, NULL, NULL );
    ok( hr == MAPI_E_NO_SUPPORT, "got %#lx.\n", hr );

    /* the object dies with the session */
    IMAPISession_Logoff( session, 0, 0, 0 );
    hr = IABContainer_GetHierarchyTable( root, 0, &table );
    ok( hr == MAPI_E_INVALID_OBJECT, "got %#lx.\n", hr );
    hr = IAddrBook_OpenEntry( book, 0, NULL, NULL, 0, &type, (IUnknown **)&root );
    ok( hr == MAPI_E_INVALID_OBJECT, "got %#lx.\n", hr );
    IABContainer_Release( root );
    IAddrBook_Release( book );
    IMAPISession_Release( session );
}

static void test_one_off(void)
{
    IMAPISession *session;
    ENTRYID *entry, *entry2, *entry3;
    ULONG size, size2, size3, result;
    const BYTE *data;
    IAddrBook *book;
    HRESULT hr;
    WORD word;

    if (!(book = open_book( &session ))) return;

    hr = IAddrBook_CreateOneOff( book, (WCHAR *)"Bob", NULL, (WCHAR *)"bob@example.com", 0, &size, &entry );
    ok( hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr );
    hr = IAddrBook_CreateOneOff( book, (WCHAR *)"Bob", (WCHAR *)"SMTP", (WCHAR *)"bob@example.com", 0, &size,
                                 &entry );
    ok( hr == S_OK, "got %#lx.\n", hr );
    /* one-off-entry-identifiers.md: no padding, ANSI strings */
    ok( size == 4 + 16 + 4 + sizeof("Bob") + sizeof("SMTP") + sizeof("bob@example.com"), "got %lu.\n", size );
    data = (const BYTE *)entry;
    ok( !memcmp( data, "\0\0\0\0", 4 ), "wrong flags.\n" );
    ok( !memcmp( data + 4, one_off_uid, 16 ), "wrong uid.\n" );
    memcpy( &word, data + 20, 2 );
    ok( !word, "got version %u.\n", word );
    memcpy( &word, data + 22, 2 );
    ok( !word, "got flags %#x.\n", word );
    ok( !strcmp( (const char *)data + 24, "Bob" ), "got %s.\n", data + 24 );
    ok( !strcmp( (const char *)data + 28, "SMTP" ), "got %s.\n", data + 28 );
    ok( !strcmp( (const char *)data + 33, "bob@example.com" ), "got %s.\n", data + 33 );

    hr = IAddrBook_CreateOneOff( book, (WCHAR *)L"Bobby", (WCHAR *)L"smtp", (WCHAR *)L"BOB@example.com",
                                 MAPI_UNICODE | MAPI_SEND_NO_RICH_INFO, &size2, &entry2 );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( size2 == 24 + sizeof(L"Bobby") + sizeof(L"smtp") + sizeof(L"BOB@example.com"), "got %lu.\n", size2 );
    memcpy( &word, (BYTE *)entry2 + 22, 2 );
    ok( word == (MAPI_ONE_OFF_UNICODE | MAPI_ONE_OFF_NO_RICH_INFO), "got flags %#x.\n", word );
    ok( !wcscmp( (const WCHAR *)((BYTE *)entry2 + 24), L"Bobby" ), "wrong name.\n" );

    hr = IAddrBook_CreateOneOff( book, NULL, (WCHAR *)"FAX", (WCHAR *)"5551234", 0, &size3, &entry3 );
    ok( hr == S_OK, "got %#lx.\n", hr );

    result = 0xdead;
    hr = IAddrBook_CompareEntryIDs( book, size, entry, size2, entry2, 0, &result );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( result == TRUE, "got %lu.\n", result );
    hr = IAddrBook_CompareEntryIDs( book, size, entry, size3, entry3, 0, &result );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( result == FALSE, "got %lu.\n", result );
    memset( (BYTE *)entry3 + 4, 0x55, 16 );
    hr = IAddrBook_CompareEntryIDs( book, size, entry, size3, entry3, 0, &result );
    ok( hr == MAPI_E_UNKNOWN_ENTRYID, "got %#lx.\n", hr );

    /* nothing but one-offs is known, and no provider reports on them */
    hr = IAddrBook_Details( book, NULL, NULL, NULL, size3, entry3, NULL, NULL, NULL, 0 );
    ok( hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr );
    {
        ULONG_PTR ui = 0;
        hr = IAddrBook_Details( book, &ui, NULL, NULL, size3, entry3, NULL, NULL, NULL, 0 );
        ok( hr == MAPI_E_UNKNOWN_ENTRYID, "got %#lx.\n", hr );
    }
    hr = IAddrBook_SetPAB( book, size3, entry3 );
    ok( hr == MAPI_E_UNKNOWN_ENTRYID, "got %#lx.\n", hr );
    hr = IAddrBook_SetDefaultDir( book, size3, entry3 );
    ok( hr == MAPI_E_UNKNOWN_ENTRYID, "got %#lx.\n", hr );

    pMAPIFreeBuffer( entry );
    pMAPIFreeBuffer( entry2 );
    pMAPIFreeBuffer( entry3 );

    IMAPISession_Logoff( session, 0, 0, 0 );
    hr = IAddrBook_CreateOneOff( book, (WCHAR *)"Bob", (WCHAR *)"SMTP", (WCHAR *)"bob@example.com", 0, &size,
                                 &entry );
    ok( hr == MAPI_E_INVALID_OBJECT, "got %#lx.\n", hr );
    IAddrBook_Release( book );
    IMAPISession_Release( session );
}

static ADRLIST *make_list( const char **names, ULONG count )
{
    ADRLIST *list;
    ULONG i;

    pMAPIAllocateBuffer( FIELD_OFFSET(ADRLIST, aEntries[count]), (void **)&list );
    list->cEntries = count;
    for (i = 0; i < count; i++)
    {
        list->aEntries[i].ulReserved1 = 0;
        list->aEntries[i].cValues = 2;
        pMAPIAllocateBuffer( 2 * sizeof(SPropValue) + strlen( names[i] ) + 1,
                             (void **)&list->aEntries[i].rgPropVals );
        list->aEntries[i].rgPropVals[0].ulPropTag = PR_RECIPIENT_TYPE;
        list->aEntries[i].rgPropVals[0].Value.l = MAPI_TO;
        list->aEntries[i].rgPropVals[1].ulPropTag = PR_DISPLAY_NAME_A;
        list->aEntries[i].rgPropVals[1].Value.lpszA = (char *)(list->aEntries[i].rgPropVals + 2);
        strcpy( list->aEntries[i].rgPropVals[1].Value.lpszA, names[i] );
    }
    return list;
}

static void test_resolve_name(void)
{
    static const char *good[] = { "Bob Smith [SMTP:bob@example.com]", "alice@example.org" };
    static const char *bad[] = { "carol@example.net", "Nobody At All" };
    static const SizedSPropTagArray(3, wanted) = { 3, { PR_ADDRTYPE_A, PR_COMPANY_NAME_A, PR_EMAIL_ADDRESS_A } };
    IMAPISession *session;
    IAddrBook *book;
    SPropValue *prop;
    ADRLIST *list;
    ADRENTRY *entry;
    HRESULT hr;

    if (!(book = open_book( &session ))) return;

    hr = IAddrBook_ResolveName( book, 0, 0, NULL, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr );

    list = make_list( good, 2 );
    hr = IAddrBook_ResolveName( book, 0, 0, NULL, list );
    ok( hr == S_OK, "got %#lx.\n", hr );
    entry = &list->aEntries[0];
    prop = pPpropFindProp( entry->rgPropVals, entry->cValues, PR_DISPLAY_NAME_A );
    ok( prop && !strcmp( prop->Value.lpszA, "Bob Smith" ), "got %s.\n", prop ? prop->Value.lpszA : NULL );
    prop = pPpropFindProp( entry->rgPropVals, entry->cValues, PR_ADDRTYPE_A );
    ok( prop && !strcmp( prop->Value.lpszA, "SMTP" ), "got %s.\n", prop ? prop->Value.lpszA : NULL );
    prop = pPpropFindProp( entry->rgPropVals, entry->cValues, PR_EMAIL_ADDRESS_A );
    ok( prop && !strcmp( prop->Value.lpszA, "bob@example.com" ), "got %s.\n", prop ? prop->Value.lpszA : NULL );
    prop = pPpropFindProp( entry->rgPropVals, entry->cValues, PR_RECIPIENT_TYPE );
    ok( prop && prop->Value.l == MAPI_TO, "recipient type lost.\n" );
    prop = pPpropFindProp( entry->rgPropVals, entry->cValues, PR_SEARCH_KEY );
    ok( prop && prop->Value.bin.cb == sizeof("SMTP:BOB@EXAMPLE.COM")
        && !memcmp( prop->Value.bin.lpb, "SMTP:BOB@EXAMPLE.COM", prop->Value.bin.cb ), "wrong search key.\n" );
    prop = pPpropFindProp( entry->rgPropVals, entry->cValues, PR_ENTRYID );
    ok( prop && prop->Value.bin.cb > 20 && !memcmp( prop->Value.bin.lpb + 4, one_off_uid, 16 ),
        "no one-off entry ID.\n" );
    entry = &list->aEntries[1];
    prop = pPpropFindProp( entry->rgPropVals, entry->cValues, PR_EMAIL_ADDRESS_A );
    ok( prop && !strcmp( prop->Value.lpszA, "alice@example.org" ), "got %s.\n", prop ? prop->Value.lpszA : NULL );

    /* PrepareRecips: the wanted properties first, unknown ones as errors */
    hr = IAddrBook_PrepareRecips( book, 0, (SPropTagArray *)&wanted, list );
    ok( hr == S_OK, "got %#lx.\n", hr );
    entry = &list->aEntries[1];
    ok( entry->rgPropVals[0].ulPropTag == PR_ADDRTYPE_A, "got %#lx.\n", entry->rgPropVals[0].ulPropTag );
    ok( entry->rgPropVals[1].ulPropTag == PROP_TAG( PT_ERROR, PROP_ID(PR_COMPANY_NAME_A) )
        && entry->rgPropVals[1].Value.err == MAPI_E_NOT_FOUND, "got %#lx.\n", entry->rgPropVals[1].ulPropTag );
    ok( entry->rgPropVals[2].ulPropTag == PR_EMAIL_ADDRESS_A, "got %#lx.\n", entry->rgPropVals[2].ulPropTag );
    ok( pPpropFindProp( entry->rgPropVals, entry->cValues, PR_RECIPIENT_TYPE ) != NULL, "recipient type lost.\n" );
    pFreePadrlist( list );

    /* one resolvable, one not: no container to search for the other */
    list = make_list( bad, 2 );
    hr = IAddrBook_ResolveName( book, 0, MAPI_UNICODE, NULL, list );
    ok( hr == MAPI_E_NOT_FOUND, "got %#lx.\n", hr );
    prop = pPpropFindProp( list->aEntries[0].rgPropVals, list->aEntries[0].cValues, PR_EMAIL_ADDRESS_W );
    ok( prop && !wcscmp( prop->Value.lpszW, L"carol@example.net" ), "got %s.\n",
        prop ? wine_dbgstr_w( prop->Value.lpszW ) : NULL );
    ok( !pPpropFindProp( list->aEntries[1].rgPropVals, list->aEntries[1].cValues, PR_ENTRYID ),
        "resolved the unresolvable.\n" );
    hr = IAddrBook_PrepareRecips( book, 0, NULL, list );
    ok( hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr );
    pFreePadrlist( list );

    IAddrBook_Release( book );
    IMAPISession_Logoff( session, 0, 0, 0 );
    IMAPISession_Release( session );
}

static void test_address_book_misc(void)
{
    static const BYTE unknown[24] = { 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    IMAPISession *session;
    SRowSet *rows, empty;
    SPropValue *options;
    BYTE params[256];
    ULONG_PTR ui = 0, connection;
    ENTRYID *entry;
    ULONG size, count;
    IAddrBook *book;
    HRESULT hr;

    if (!(book = open_book( &session ))) return;

    hr = IAddrBook_GetSearchPath( book, 0x10, &rows );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "got %#lx.\n", hr );
    hr = IAddrBook_GetSearchPath( book, MAPI_UNICODE, &rows );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( rows && !rows->cRows, "got %lu rows.\n", rows ? rows->cRows : 0 );
    pMAPIFreeBuffer( rows );
    empty.cRows = 0;
    hr = IAddrBook_SetSearchPath( book, 0, &empty );
    ok( hr == S_OK, "got %#lx.\n", hr );
    hr = IAddrBook_SetSearchPath( book, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr );

    size = 0xdead;
    entry = (ENTRYID *)0xdead;
    hr = IAddrBook_GetPAB( book, &size, &entry );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( !size && !entry, "got %lu %p.\n", size, entry );
    hr = IAddrBook_GetDefaultDir( book, &size, &entry );
    ok( hr == MAPI_E_NOT_FOUND, "got %#lx.\n", hr );

    count = 0xdead;
    hr = IAddrBook_QueryDefaultRecipOpt( book, (WCHAR *)"SMTP", 0, &count, &options );
    ok( hr == S_OK, "got %#lx.\n", hr );
    ok( !count, "got %lu.\n", count );

    memset( params, 0, sizeof(params) );
    hr = IAddrBook_Address( book, &ui, (LPADRPARM)params, NULL );
    ok( hr == MAPI_E_NO_SUPPORT, "got %#lx.\n", hr );
    hr = IAddrBook_Details( book, &ui, NULL, NULL, sizeof(unknown), (ENTRYID *)unknown, NULL, NULL, NULL, 0 );
    ok( hr == MAPI_E_UNKNOWN_ENTRYID, "got %#lx.\n", hr );
    hr = IAddrBook_OpenEntry( book, sizeof(unknown), (ENTRYID *)unknown, NULL, 0, &count, (IUnknown **)&entry );
    ok( hr == MAPI_E_UNKNOWN_ENTRYID, "got %#lx.\n", hr );

    hr = IAddrBook_Advise( book, sizeof(unknown), (ENTRYID *)unknown, fnevObjectModified, NULL, &connection );
    ok( hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr );
    hr = IAddrBook_Unadvise( book, 0 );
    ok( hr == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", hr );
    hr = IAddrBook_Unadvise( book, 7 );
    ok( hr == MAPI_E_NOT_FOUND, "got %#lx.\n", hr );

    IAddrBook_Release( book );
    IMAPISession_Release( session );
}

#define check_slot(vtbl, method, slot) \
    ok(offsetof(vtbl, method) == (slot) * sizeof(void *), #vtbl "." #method " is at %Iu, expected slot %u.\n", \
       offsetof(vtbl, method), slot)

/* iaddrbookimapiprop.md, iabcontainerimapicontainer.md: 14 IMAPIProp slots first */
static void test_vtable_layout(void)
{
    check_slot( IAddrBookVtbl, OpenEntry, 14 );
    check_slot( IAddrBookVtbl, CreateOneOff, 18 );
    check_slot( IAddrBookVtbl, ResolveName, 20 );
    check_slot( IAddrBookVtbl, RecipOptions, 23 );
    check_slot( IAddrBookVtbl, GetPAB, 25 );
    check_slot( IAddrBookVtbl, GetSearchPath, 29 );
    check_slot( IAddrBookVtbl, PrepareRecips, 31 );
    ok( sizeof(IAddrBookVtbl) == 32 * sizeof(void *), "got %Iu.\n", sizeof(IAddrBookVtbl) );
    check_slot( IABContainerVtbl, GetContentsTable, 14 );
    check_slot( IABContainerVtbl, GetSearchCriteria, 18 );
    check_slot( IABContainerVtbl, CreateEntry, 19 );
    check_slot( IABContainerVtbl, ResolveNames, 22 );
    ok( sizeof(IABContainerVtbl) == 23 * sizeof(void *), "got %Iu.\n", sizeof(IABContainerVtbl) );
    ok( sizeof(IMailUserVtbl) == 14 * sizeof(void *), "got %Iu.\n", sizeof(IMailUserVtbl) );
    check_slot( IDistListVtbl, ResolveNames, 22 );
}

static void test_ScGenerateMuid(void)
{
    MAPIUID a, b;
    SCODE sc;

    memset( &a, 0, sizeof(a) );
    memset( &b, 0, sizeof(b) );
    sc = pScGenerateMuid( &a );
    ok( sc == S_OK, "got %#lx.\n", sc );
    sc = pScGenerateMuid4( &b );
    ok( sc == S_OK, "got %#lx.\n", sc );
    ok( memcmp( &a, &b, sizeof(a) ), "same MUID twice.\n" );
    ok( memcmp( &a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", sizeof(a) ), "MUID not set.\n" );
    sc = pScGenerateMuid( NULL );
    ok( sc == MAPI_E_INVALID_PARAMETER, "got %#lx.\n", sc );
}

START_TEST(addrbook)
{
    LONG buffers;

    if (!load_winemapix()) return;

    test_vtable_layout();
    test_ScGenerateMuid();
    ok( pMAPIInitialize( NULL ) == S_OK, "MAPIInitialize failed.\n" );
    buffers = pMAPIXGetLiveBuffers();
    test_open_address_book();
    test_root_container();
    test_one_off();
    test_resolve_name();
    test_address_book_misc();
    ok( pMAPIXGetLiveBuffers() == buffers, "leaked %ld buffers.\n", pMAPIXGetLiveBuffers() - buffers );
    pMAPIUninitialize();
}
