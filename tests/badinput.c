/*
 * End to end: bad input at the API, through Wine's mapi32
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
 * Each category of bad input a program can pass gets its documented error
 * and no crash: NULL out-pointers, unknown flags, entry IDs that are
 * random, truncated, of another provider or of nothing, wrong property
 * types, absurd counts, malformed restrictions and sort orders, names with
 * embedded NULs, and PST paths that do not exist or are directories.  The
 * totals per category go to the trace for RELIABILITY.md.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"

#include "wine/test.h"
#include "mapi32_test.h"

#define PR_PST_PATH_W  PROP_TAG(PT_UNICODE, 0x6700)

static const WCHAR profile_name[] = L"winepst bad input";
static WCHAR pst_path[MAX_PATH];
static MAPIUID service_uid;

static const GUID iid_stream = { 0x0000000c, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID ps_public_strings = { 0x00020329, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };

static BOOL find_row( IMAPITable *table, ULONG match_tag, const WCHAR *match, BYTE *out, ULONG *size )
{
    SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, match_tag } };
    const SPropValue *id, *name;
    SRowSet *rows;
    BOOL found = FALSE;
    ULONG i;

    if (FAILED(IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 ))) return FALSE;
    while (!found && SUCCEEDED(IMAPITable_QueryRows( table, 20, 0, &rows )) && rows->cRows)
    {
        for (i = 0; i < rows->cRows && !found; i++)
        {
            id = row_prop( &rows->aRow[i], PR_ENTRYID );
            name = row_prop( &rows->aRow[i], match_tag );
            if (!id || id->Value.bin.cb > 256) continue;
            if (match && (!name || PROP_TYPE(name->ulPropTag) != PT_UNICODE || wcscmp( name->Value.lpszW, match )))
                continue;
            memcpy( out, id->Value.bin.lpb, id->Value.bin.cb );
            *size = id->Value.bin.cb;
            found = TRUE;
        }
        free_rows( rows );
    }
    return found;
}

static void delete_profile(void)
{
    IProfAdmin *profiles;

    if (FAILED(pMAPIAdminProfiles( 0, &profiles ))) return;
    IProfAdmin_DeleteProfile( profiles, (WCHAR *)profile_name, MAPI_UNICODE );
    IProfAdmin_Release( profiles );
}

static IMAPISession *logon(void)
{
    IMAPISession *session = NULL;
    HRESULT hr;

    hr = pMAPILogonEx( 0, (WCHAR *)profile_name, NULL,
                       MAPI_EXTENDED | MAPI_NEW_SESSION | MAPI_EXPLICIT_PROFILE | MAPI_UNICODE, &session );
    ok( hr == S_OK, "MAPILogonEx returned %#lx.\n", hr );
    return SUCCEEDED(hr) ? session : NULL;
}

struct category
{
    const char *name;
    unsigned int tried;
};

static struct category categories[] =
{
    { "NULL out-pointers" }, { "unknown flags" }, { "bad entry IDs" }, { "wrong property types" },
    { "huge counts" }, { "malformed restrictions" }, { "malformed sort orders" }, { "embedded NULs" },
    { "bad PST paths" },
};
enum { CAT_NULL, CAT_FLAGS, CAT_ENTRYID, CAT_TYPES, CAT_COUNTS, CAT_RESTRICT, CAT_SORT, CAT_NUL, CAT_PATH };

/* one input of a category: the answer is one of the accepted codes */
#define check_hr(cat, hr, a, b) check_hr_( __LINE__, cat, #hr, hr, a, b )
static void check_hr_( unsigned int line, unsigned int cat, const char *what, HRESULT hr, HRESULT a, HRESULT b )
{
    categories[cat].tried++;
    ok_( __FILE__, line )( hr == a || hr == b, "%s: %s returned %#lx, expected %#lx.\n",
                           categories[cat].name, what, hr, a );
}

/* a PST path that does not exist, and one that is a directory */
static void test_bad_paths( IMsgServiceAdmin *admin )
{
    WCHAR path[MAX_PATH];
    SPropValue prop;
    HRESULT hr;

    GetTempPathW( ARRAY_SIZE(path), path );
    prop.ulPropTag = PR_PST_PATH_W;
    prop.Value.lpszW = path;
    hr = IMsgServiceAdmin_ConfigureMsgService( admin, &service_uid, 0, 0, 1, &prop );
    ok( FAILED(hr), "a directory as the PST path returned %#lx.\n", hr );
    categories[CAT_PATH].tried++;
    wcscat( path, L"no such directory\\store.pst" );
    hr = IMsgServiceAdmin_ConfigureMsgService( admin, &service_uid, 0, 0, 1, &prop );
    ok( FAILED(hr), "a path in a missing directory returned %#lx.\n", hr );
    categories[CAT_PATH].tried++;
    trace( "bad paths: directory and missing directory refused.\n" );
}

static BOOL create_profile(void)
{
    IMsgServiceAdmin *admin;
    IProfAdmin *profiles;
    SPropValue prop;
    HRESULT hr;

    hr = pMAPIAdminProfiles( 0, &profiles );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (FAILED(hr)) return FALSE;
    IProfAdmin_DeleteProfile( profiles, (WCHAR *)profile_name, MAPI_UNICODE );
    hr = IProfAdmin_CreateProfile( profiles, (WCHAR *)profile_name, NULL, 0, MAPI_UNICODE );
    ok( hr == S_OK, "CreateProfile returned %#lx.\n", hr );
    hr = IProfAdmin_AdminServices( profiles, (WCHAR *)profile_name, NULL, 0, MAPI_UNICODE, &admin );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    IProfAdmin_Release( profiles );
    if (FAILED(hr)) return FALSE;
    hr = IMsgServiceAdmin_CreateMsgService( admin, (WCHAR *)"MSUPST MS", (WCHAR *)"PST", 0, 0 );
    ok( hr == S_OK, "CreateMsgService returned %#lx.\n", hr );
    if (find_service( admin, &service_uid ))
    {
        test_bad_paths( admin );
        prop.ulPropTag = PR_PST_PATH_W;
        prop.Value.lpszW = pst_path;
        hr = IMsgServiceAdmin_ConfigureMsgService( admin, &service_uid, 0, 0, 1, &prop );
        ok( hr == S_OK, "ConfigureMsgService returned %#lx.\n", hr );
    }
    else hr = E_FAIL;
    IMsgServiceAdmin_Release( admin );
    return hr == S_OK;
}

static void test_entry_ids( IMAPISession *session, IMsgStore *store, const BYTE *message_id, ULONG message_size )
{
    BYTE bytes[256];
    IUnknown *unk = NULL;
    ULONG type, i, result;
    HRESULT hr;

    /* random */
    srand( 1 );
    for (i = 0; i < 64; i++)
    {
        ULONG size = 1 + rand() % 64, j;

        for (j = 0; j < size; j++) bytes[j] = rand();
        hr = IMsgStore_OpenEntry( store, size, (ENTRYID *)bytes, NULL, 0, &type, &unk );
        check_hr( CAT_ENTRYID, hr, MAPI_E_INVALID_ENTRYID, MAPI_E_NOT_FOUND );
        if (SUCCEEDED(hr)) IUnknown_Release( unk );
        hr = IMAPISession_OpenMsgStore( session, 0, size, (ENTRYID *)bytes, NULL, MDB_NO_DIALOG, (IMsgStore **)&unk );
        check_hr( CAT_ENTRYID, hr, MAPI_E_INVALID_ENTRYID, MAPI_E_NOT_FOUND );
        if (SUCCEEDED(hr)) IUnknown_Release( unk );
    }
    /* every truncation of a message's entry ID */
    for (i = 1; i < message_size; i++)
    {
        hr = IMsgStore_OpenEntry( store, i, (ENTRYID *)message_id, NULL, 0, &type, &unk );
        check_hr( CAT_ENTRYID, hr, MAPI_E_INVALID_ENTRYID, MAPI_E_INVALID_ENTRYID );
        if (SUCCEEDED(hr)) IUnknown_Release( unk );
    }
    /* another provider's: the provider UID bytes (4..19) changed */
    memcpy( bytes, message_id, message_size );
    bytes[4] ^= 0xff;
    hr = IMsgStore_OpenEntry( store, message_size, (ENTRYID *)bytes, NULL, 0, &type, &unk );
    check_hr( CAT_ENTRYID, hr, MAPI_E_INVALID_ENTRYID, MAPI_E_INVALID_ENTRYID );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );
    hr = IMsgStore_CompareEntryIDs( store, message_size, (ENTRYID *)bytes, message_size, (ENTRYID *)message_id,
                                    0, &result );
    ok( hr == S_OK || hr == MAPI_E_INVALID_ENTRYID, "CompareEntryIDs returned %#lx.\n", hr );
    ok( hr != S_OK || !result, "entry IDs of two providers compare equal.\n" );
    categories[CAT_ENTRYID].tried++;
    /* a message that does not exist: the last bytes (its node ID) changed */
    memcpy( bytes, message_id, message_size );
    bytes[message_size - 1] ^= 0x40;
    bytes[message_size - 2] ^= 0x7f;
    hr = IMsgStore_OpenEntry( store, message_size, (ENTRYID *)bytes, NULL, 0, &type, &unk );
    check_hr( CAT_ENTRYID, hr, MAPI_E_NOT_FOUND, MAPI_E_INVALID_ENTRYID );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );
    /* NULL with a size */
    hr = IMsgStore_OpenEntry( store, 24, NULL, NULL, 0, &type, &unk );
    check_hr( CAT_ENTRYID, hr, MAPI_E_INVALID_ENTRYID, MAPI_E_INVALID_PARAMETER );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );
}

static void test_object_args( IMsgStore *store, IMAPIFolder *folder, IMessage *message )
{
    static const SizedSPropTagArray(1, one) = { 1, { PR_SUBJECT_W } };
    static const SizedSPropTagArray(1, wrong_type) = { 1, { PROP_TAG(PT_LONG, PROP_ID(PR_SUBJECT_W)) } };
    SizedSPropTagArray(1, huge) = { 0x7fffffff, { PR_SUBJECT_W } };
    SPropValue *props = NULL;
    IMAPITable *table = NULL;
    IUnknown *unk = NULL;
    ULONG count, type;
    HRESULT hr;

    /* NULL out-pointers */
    hr = IMsgStore_OpenEntry( store, 0, NULL, NULL, 0, &type, NULL );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMsgStore_OpenEntry( store, 0, NULL, NULL, 0, NULL, &unk );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );
    hr = IMessage_GetProps( message, (SPropTagArray *)&one, 0, NULL, &props );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMessage_GetProps( message, (SPropTagArray *)&one, 0, &count, NULL );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMessage_GetPropList( message, 0, NULL );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMAPIFolder_GetContentsTable( folder, 0, NULL );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMAPIFolder_GetHierarchyTable( folder, 0, NULL );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMessage_GetAttachmentTable( message, 0, NULL );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMessage_GetRecipientTable( message, 0, NULL );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMessage_OpenAttach( message, 0, NULL, 0, NULL );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMessage_OpenProperty( message, PR_SUBJECT_W, NULL, 0, 0, &unk );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );

    /* unknown flags */
    hr = IMessage_GetProps( message, (SPropTagArray *)&one, 0x40000000, &count, &props );
    check_hr( CAT_FLAGS, hr, MAPI_E_UNKNOWN_FLAGS, MAPI_E_UNKNOWN_FLAGS );
    if (SUCCEEDED(hr)) pMAPIFreeBuffer( props );
    hr = IMessage_GetPropList( message, 0x40000000, (SPropTagArray **)&props );
    check_hr( CAT_FLAGS, hr, MAPI_E_UNKNOWN_FLAGS, MAPI_E_UNKNOWN_FLAGS );
    if (SUCCEEDED(hr)) pMAPIFreeBuffer( props );
    hr = IMAPIFolder_GetContentsTable( folder, 0x40000000, &table );
    check_hr( CAT_FLAGS, hr, MAPI_E_UNKNOWN_FLAGS, MAPI_E_UNKNOWN_FLAGS );
    if (SUCCEEDED(hr)) IMAPITable_Release( table );
    hr = IMAPIFolder_GetHierarchyTable( folder, 0x40000000, &table );
    check_hr( CAT_FLAGS, hr, MAPI_E_UNKNOWN_FLAGS, MAPI_E_UNKNOWN_FLAGS );
    if (SUCCEEDED(hr)) IMAPITable_Release( table );
    hr = IMsgStore_OpenEntry( store, 0, NULL, NULL, 0x40000000, &type, &unk );
    check_hr( CAT_FLAGS, hr, MAPI_E_UNKNOWN_FLAGS, MAPI_E_UNKNOWN_FLAGS );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );
    hr = IMessage_GetAttachmentTable( message, 0x40000000, &table );
    check_hr( CAT_FLAGS, hr, MAPI_E_UNKNOWN_FLAGS, MAPI_E_UNKNOWN_FLAGS );
    if (SUCCEEDED(hr)) IMAPITable_Release( table );

    /* a wrong property type: the value is missing, not converted */
    hr = IMessage_GetProps( message, (SPropTagArray *)&wrong_type, 0, &count, &props );
    check_hr( CAT_TYPES, hr, MAPI_W_ERRORS_RETURNED, MAPI_W_ERRORS_RETURNED );
    if (SUCCEEDED(hr))
    {
        ok( count == 1 && PROP_TYPE(props[0].ulPropTag) == PT_ERROR, "got tag %#lx.\n", props[0].ulPropTag );
        pMAPIFreeBuffer( props );
    }
    hr = IMessage_OpenProperty( message, PROP_TAG(PT_LONG, PROP_ID(PR_SUBJECT_W)), &iid_stream, 0, 0, &unk );
    check_hr( CAT_TYPES, hr, MAPI_E_NOT_FOUND, MAPI_E_INTERFACE_NOT_SUPPORTED );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );
    hr = IMessage_OpenProperty( message, PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_SUBJECT_W)), &iid_stream, 0, 0, &unk );
    check_hr( CAT_TYPES, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_NOT_FOUND );
    if (SUCCEEDED(hr)) IUnknown_Release( unk );

    /* a tag array claiming 0x7fffffff entries */
    hr = IMessage_GetProps( message, (SPropTagArray *)&huge, 0, &count, &props );
    check_hr( CAT_COUNTS, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_NOT_ENOUGH_MEMORY );
    if (SUCCEEDED(hr)) pMAPIFreeBuffer( props );
}

#define DEPTH 10000

static void test_table_args( IMAPITable *table )
{
    SizedSPropTagArray(1, huge) = { 0x7fffffff, { PR_SUBJECT_W } };
    SizedSPropTagArray(1, none) = { 0, { 0 } };
    SSortOrderSet sort = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    SRestriction res, *chain;
    SRowSet *rows;
    LONG seeked;
    HRESULT hr;
    ULONG i;

    /* absurd counts */
    hr = IMAPITable_SetColumns( table, (SPropTagArray *)&huge, 0 );
    check_hr( CAT_COUNTS, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_NOT_ENOUGH_MEMORY );
    /* no columns: not documented as an error */
    hr = IMAPITable_SetColumns( table, (SPropTagArray *)&none, 0 );
    check_hr( CAT_COUNTS, hr, MAPI_E_INVALID_PARAMETER, S_OK );
    hr = IMAPITable_QueryRows( table, 0x7fffffff, 0, &rows );
    check_hr( CAT_COUNTS, hr, S_OK, S_OK );
    if (SUCCEEDED(hr)) free_rows( rows );
    hr = IMAPITable_QueryRows( table, -0x7fffffff, 0, &rows );
    check_hr( CAT_COUNTS, hr, S_OK, S_OK );
    if (SUCCEEDED(hr)) free_rows( rows );
    hr = IMAPITable_QueryRows( table, 0, 0, &rows );
    check_hr( CAT_COUNTS, hr, MAPI_E_INVALID_PARAMETER, S_OK );
    if (SUCCEEDED(hr)) free_rows( rows );
    hr = table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0x7fffffff, &seeked );
    check_hr( CAT_COUNTS, hr, S_OK, S_OK );
    hr = table->lpVtbl->SeekRow( table, BOOKMARK_END, -0x7fffffff, &seeked );
    check_hr( CAT_COUNTS, hr, S_OK, S_OK );
    hr = IMAPITable_SeekRowApprox( table, 5, 0 );
    check_hr( CAT_COUNTS, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMAPITable_QueryRows( table, 10, 0, NULL );
    check_hr( CAT_NULL, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMAPITable_QueryRows( table, 10, 0x40000000, &rows );
    check_hr( CAT_FLAGS, hr, MAPI_E_UNKNOWN_FLAGS, MAPI_E_UNKNOWN_FLAGS );
    if (SUCCEEDED(hr)) free_rows( rows );

    /* malformed restrictions (through lpVtbl: Wine's IMAPITable_Restrict and
     * IMAPITable_SeekRow macros are misspelled) */
    memset( &res, 0, sizeof(res) );
    res.rt = 99;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    check_hr( CAT_RESTRICT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_TOO_COMPLEX );
    hr = IMAPITable_FindRow( table, &res, BOOKMARK_BEGINNING, 0 );
    check_hr( CAT_RESTRICT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_TOO_COMPLEX );
    res.rt = RES_AND;
    res.res.resAnd.cRes = 3;
    res.res.resAnd.lpRes = NULL;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    check_hr( CAT_RESTRICT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    res.rt = RES_NOT;
    res.res.resNot.lpRes = NULL;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    check_hr( CAT_RESTRICT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    res.rt = RES_PROPERTY;
    res.res.resProperty.relop = RELOP_EQ;
    res.res.resProperty.ulPropTag = PR_SUBJECT_W;
    res.res.resProperty.lpProp = NULL;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    check_hr( CAT_RESTRICT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    res.rt = RES_CONTENT;
    res.res.resContent.lpProp = NULL;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    check_hr( CAT_RESTRICT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    res.rt = RES_BITMASK;
    res.res.resBitMask.relBMR = 7;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    check_hr( CAT_RESTRICT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_TOO_COMPLEX );
    res.rt = RES_SUBRESTRICTION;
    res.res.resSub.ulSubObject = PR_MESSAGE_RECIPIENTS;
    res.res.resSub.lpRes = NULL;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    check_hr( CAT_RESTRICT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_TOO_COMPLEX );
    /* a chain of NOTs 10,000 deep: no stack overflow, an answer */
    if ((chain = calloc( DEPTH, sizeof(*chain) )))
    {
        for (i = 0; i < DEPTH - 1; i++)
        {
            chain[i].rt = RES_NOT;
            chain[i].res.resNot.lpRes = &chain[i + 1];
        }
        chain[DEPTH - 1].rt = RES_EXIST;
        chain[DEPTH - 1].res.resExist.ulPropTag = PR_SUBJECT_W;
        hr = table->lpVtbl->Restrict( table, chain, 0 );
        check_hr( CAT_RESTRICT, hr, S_OK, MAPI_E_TOO_COMPLEX );
        if (hr == S_OK && SUCCEEDED(IMAPITable_QueryRows( table, 10, 0, &rows ))) free_rows( rows );
        hr = IMAPITable_FindRow( table, chain, BOOKMARK_BEGINNING, 0 );
        check_hr( CAT_RESTRICT, hr, S_OK, MAPI_E_NOT_FOUND );
        table->lpVtbl->Restrict( table, NULL, 0 );
        free( chain );
    }

    /* malformed sort orders */
    sort.aSort[0].ulOrder = 7;
    hr = IMAPITable_SortTable( table, &sort, 0 );
    check_hr( CAT_SORT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_TOO_COMPLEX );
    sort.aSort[0].ulOrder = TABLE_SORT_ASCEND;
    sort.cCategories = 2;
    hr = IMAPITable_SortTable( table, &sort, 0 );
    check_hr( CAT_SORT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_TOO_COMPLEX );
    sort.cCategories = 0;
    sort.cExpanded = 3;
    hr = IMAPITable_SortTable( table, &sort, 0 );
    check_hr( CAT_SORT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_TOO_COMPLEX );
    sort.cExpanded = 0;
    sort.cSorts = 0x7fffffff;
    hr = IMAPITable_SortTable( table, &sort, 0 );
    check_hr( CAT_SORT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_TOO_COMPLEX );
    hr = IMAPITable_SortTable( table, NULL, 0 );
    check_hr( CAT_SORT, hr, MAPI_E_INVALID_PARAMETER, MAPI_E_INVALID_PARAMETER );
    hr = IMAPITable_SortTable( table, (SSortOrderSet *)&none, 0x40000000 );
    check_hr( CAT_FLAGS, hr, MAPI_E_UNKNOWN_FLAGS, MAPI_E_UNKNOWN_FLAGS );
    /* the table still answers */
    hr = IMAPITable_QueryRows( table, 1, 0, &rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) free_rows( rows );
}

/* names with embedded NULs end at the NUL */
static void test_embedded_nuls( IMessage *message )
{
    static WCHAR name[] = L"abc\0def";
    MAPINAMEID id = { (GUID *)&ps_public_strings, MNID_STRING, { .lpwstrName = name } }, *ids = &id;
    SPropTagArray *tags = NULL;
    HRESULT hr;

    hr = IMessage_GetIDsFromNames( message, 1, &ids, 0, &tags );
    check_hr( CAT_NUL, hr, MAPI_W_ERRORS_RETURNED, S_OK );
    if (SUCCEEDED(hr)) pMAPIFreeBuffer( tags );
}

static void test_bad_input(void)
{
    IMAPITable *table = NULL, *hierarchy = NULL;
    IMAPIFolder *root = NULL, *folder = NULL;
    IMessage *message = NULL;
    IMAPISession *session;
    IMsgStore *store = NULL;
    BYTE store_id[256], id[256], message_id[256];
    ULONG store_size, size, message_size, type;
    HRESULT hr;

    if (!(session = logon())) return;
    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "GetMsgStoresTable returned %#lx.\n", hr );
    if (hr == S_OK && find_row( table, PR_DISPLAY_NAME_W, NULL, store_id, &store_size ))
        hr = IMAPISession_OpenMsgStore( session, 0, store_size, (ENTRYID *)store_id, NULL, MDB_NO_DIALOG, &store );
    if (table) IMAPITable_Release( table );
    ok( store != NULL, "no store: %#lx.\n", hr );
    if (!store) goto done;
    hr = IMsgStore_OpenEntry( store, 0, NULL, NULL, 0, &type, (IUnknown **)&root );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    if (FAILED(hr)) goto done;
    hr = IMAPIFolder_GetHierarchyTable( root, CONVENIENT_DEPTH | MAPI_UNICODE, &hierarchy );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    if (FAILED(hr)) goto done;
    /* pstsdk_sample1.pst (pypff, pstwalk): folder "Sample1", one message */
    if (!find_row( hierarchy, PR_DISPLAY_NAME_W, L"Sample1", id, &size )) goto done;
    hr = IMsgStore_OpenEntry( store, size, (ENTRYID *)id, NULL, 0, &type, (IUnknown **)&folder );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    if (FAILED(hr)) goto done;
    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    if (FAILED(hr)) goto done;
    ok( find_row( table, PR_SUBJECT_W, NULL, message_id, &message_size ), "no message.\n" );
    hr = IMsgStore_OpenEntry( store, message_size, (ENTRYID *)message_id, NULL, 0, &type, (IUnknown **)&message );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    if (FAILED(hr)) goto done;

    test_entry_ids( session, store, message_id, message_size );
    test_object_args( store, folder, message );
    test_table_args( table );
    test_table_args( hierarchy );
    test_embedded_nuls( message );

done:
    if (message) IMessage_Release( message );
    if (table) IMAPITable_Release( table );
    if (folder) IMAPIFolder_Release( folder );
    if (hierarchy) IMAPITable_Release( hierarchy );
    if (root) IMAPIFolder_Release( root );
    if (store) IMsgStore_Release( store );
    IMAPISession_Logoff( session, 0, 0, 0 );
    IMAPISession_Release( session );
}

START_TEST(badinput)
{
    HMODULE mapi32;
    unsigned int i, total = 0;
    HRESULT hr;

    if (!(mapi32 = load_mapi32())) return;
    if (!copy_sample( "pstsdk_sample1.pst", pst_path, NULL ))
    {
        skip( "no sample PST.\n" );
        return;
    }
    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    if (create_profile()) test_bad_input();
    delete_profile();
    pMAPIUninitialize();
    for (i = 0; i < ARRAY_SIZE(categories); i++)
    {
        trace( "bad input: %s: %u inputs.\n", categories[i].name, categories[i].tried );
        total += categories[i].tried;
    }
    trace( "bad input: %u inputs in all.\n", total );
    DeleteFileW( pst_path );
    FreeLibrary( mapi32 );
}
