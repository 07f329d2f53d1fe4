/*
 * Conformance tests of winepst's folders and their tables
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
 * Folder names, NIDs, message counts and subjects come from pypff's walk
 * of each sample (get_root_folder, get_sub_folder, get_sub_message) and
 * agree with pffexport's export tree.
 */

#include "winepst_test.h"

/* the stores' UIDs, from pypff's message store record key */
static const BYTE sample1_uid[16] =
    { 0x6a,0x55,0x2b,0x81,0x3c,0x43,0xf9,0x43,0x84,0xf1,0x8b,0x7d,0xa2,0x39,0x3e,0x95 };
static const BYTE distlist_uid[16] =
    { 0xa4,0x1d,0x63,0xdb,0xc5,0x3b,0x8e,0x4a,0xb8,0x07,0x1e,0x15,0xe5,0x57,0x50,0xce };
static const BYTE sample2_uid[16] =
    { 0x52,0x24,0xcb,0x63,0xe0,0x45,0x42,0x43,0x97,0x96,0x65,0x60,0x06,0x89,0x86,0x7a };

static void make_entryid( BYTE *entryid, const BYTE *uid, DWORD nid )
{
    memset( entryid, 0, 4 );
    memcpy( entryid + 4, uid, 16 );
    memcpy( entryid + 20, &nid, 4 );
}

static IMAPIFolder *open_folder( struct test_store *ts, const BYTE *uid, DWORD nid )
{
    IUnknown *unk = NULL;
    BYTE entryid[24];
    ULONG type;
    HRESULT hr;

    make_entryid( entryid, uid, nid );
    hr = IMsgStore_OpenEntry( ts->store, sizeof(entryid), (ENTRYID *)entryid, &IID_IMAPIFolder, 0, &type, &unk );
    ok( hr == S_OK, "opening folder %#lx returned %#lx.\n", nid, hr );
    return (IMAPIFolder *)unk;
}

static const SPropValue *row_prop( const SRow *row, ULONG tag )
{
    ULONG i;

    for (i = 0; i < row->cValues; i++) if (row->lpProps[i].ulPropTag == tag) return &row->lpProps[i];
    return NULL;
}

static void free_rows( SRowSet *rows )
{
    ULONG i;

    for (i = 0; i < rows->cRows; i++) test_free_buffer( rows->aRow[i].lpProps );
    test_free_buffer( rows );
}

/* Finds the row whose PR_DISPLAY_NAME_W (or PR_SUBJECT_W) is NAME. */
static const SRow *find_named_row( const SRowSet *rows, ULONG tag, const WCHAR *name )
{
    const SPropValue *prop;
    ULONG i;

    for (i = 0; i < rows->cRows; i++)
        if ((prop = row_prop( &rows->aRow[i], tag )) && !wcscmp( prop->Value.lpszW, name )) return &rows->aRow[i];
    return NULL;
}

static SRowSet *query_all( IMAPITable *table )
{
    SRowSet *rows = NULL;
    HRESULT hr;

    hr = IMAPITable_QueryRows( table, 1000, 0, &rows );
    ok( hr == S_OK, "QueryRows returned %#lx.\n", hr );
    return rows;
}

static void test_hierarchy(void)
{
    static const WCHAR *root_names[] = { L"SPAM Search Folder 2", L"Top of Outlook data file", L"Search Root",
                                         L"ItemProcSearch" };
    const SPropValue *prop;
    struct test_store ts;
    IMAPITable *table = NULL;
    IMAPIFolder *root;
    SRowSet *rows;
    const SRow *row;
    ULONG i, count;
    BYTE entryid[24];
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample1.pst", &ts )) return;
    if (!(root = open_folder( &ts, sample1_uid, 0x122 ))) goto done;

    hr = IMAPIFolder_GetHierarchyTable( root, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 4, "%#lx: %lu rows.\n", hr, count );
    if ((rows = query_all( table )))
    {
        for (i = 0; i < ARRAY_SIZE(root_names); i++)
            ok( find_named_row( rows, PR_DISPLAY_NAME_W, root_names[i] ) != NULL, "no %s.\n", wine_dbgstr_w( root_names[i] ) );
        row = find_named_row( rows, PR_DISPLAY_NAME_W, L"Top of Outlook data file" );
        make_entryid( entryid, sample1_uid, 0x8022 );
        ok( row && (prop = row_prop( row, PR_ENTRYID )) && prop->Value.bin.cb == 24
            && !memcmp( prop->Value.bin.lpb, entryid, 24 ), "wrong entry ID.\n" );
        ok( row && (prop = row_prop( row, PR_INSTANCE_KEY )) && prop->Value.bin.cb == 4, "no instance key.\n" );
        ok( row && (prop = row_prop( row, PR_DEPTH )) && prop->Value.l == 0, "depth.\n" );
        ok( row && (prop = row_prop( row, PR_OBJECT_TYPE )) && prop->Value.l == MAPI_FOLDER, "object type.\n" );
        ok( row && (prop = row_prop( row, PR_SUBFOLDERS )) && prop->Value.b, "no subfolders.\n" );
        ok( row && row_prop( row, PR_STORE_ENTRYID ) != NULL, "no store entry ID.\n" );
        free_rows( rows );
    }
    IMAPITable_Release( table );

    /* the whole tree, each folder followed by its subfolders */
    table = NULL;
    hr = IMAPIFolder_GetHierarchyTable( root, MAPI_UNICODE | CONVENIENT_DEPTH, &table );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 6, "%#lx: %lu rows.\n", hr, count );
    if ((rows = query_all( table )))
    {
        row = find_named_row( rows, PR_DISPLAY_NAME_W, L"Sample1" );
        ok( row && (prop = row_prop( row, PR_DEPTH )) && prop->Value.l == 1, "Sample1 is not at depth 1.\n" );
        ok( row && (prop = row_prop( row, PR_CONTENT_COUNT )) && prop->Value.l == 1, "Sample1 count.\n" );
        row = find_named_row( rows, PR_DISPLAY_NAME_W, L"Deleted Items" );
        ok( row && (prop = row_prop( row, PR_DEPTH )) && prop->Value.l == 1, "Deleted Items depth.\n" );
        free_rows( rows );
    }
    IMAPITable_Release( table );

    /* without MAPI_UNICODE the names are ANSI */
    table = NULL;
    hr = IMAPIFolder_GetHierarchyTable( root, 0, &table );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    if ((rows = query_all( table )))
    {
        for (i = 0; i < rows->cRows; i++)
        {
            ok( !row_prop( &rows->aRow[i], PR_DISPLAY_NAME_W ), "a Unicode name.\n" );
            ok( row_prop( &rows->aRow[i], PR_DISPLAY_NAME_A ) != NULL, "no ANSI name.\n" );
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
    IMAPIFolder_Release( root );
    /* tables are built without calling MAPI */
    check_log( "" );

done:
    close_test_store( &ts );
}

static void test_folder_counts(void)
{
    static const struct { const WCHAR *name; LONG count; } folders[] =
    {
        { L"Deleted Items", 0 }, { L"Inbox", 0 }, { L"Outbox", 0 }, { L"Sent Items", 0 }, { L"Calendar", 1 },
        { L"Contacts", 2 }, { L"Journal", 0 }, { L"Notes", 0 }, { L"Tasks", 0 }, { L"Drafts", 0 },
        { L"RSS Feeds", 0 }, { L"Junk E-mail", 0 },
    };
    static const ULONG props_list[] = { 7, PR_DISPLAY_NAME_W, PR_CONTENT_COUNT, PR_SUBFOLDERS, PR_FOLDER_TYPE,
                                             PR_OBJECT_TYPE, PR_PARENT_ENTRYID, PR_ENTRYID };
    const SPropValue *prop;
    SPropValue *props = NULL;
    struct test_store ts;
    IMAPITable *table = NULL;
    IMAPIFolder *subtree, *contacts;
    SRowSet *rows;
    const SRow *row;
    BYTE entryid[24];
    ULONG i, count;
    HRESULT hr;

    if (!open_test_store( "javalibpst_dist-list.pst", &ts )) return;
    if (!(subtree = open_folder( &ts, distlist_uid, 0x8022 ))) goto done;

    hr = IMAPIFolder_GetHierarchyTable( subtree, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    if ((rows = query_all( table )))
    {
        ok( rows->cRows == ARRAY_SIZE(folders), "%lu rows.\n", rows->cRows );
        for (i = 0; i < ARRAY_SIZE(folders); i++)
        {
            row = find_named_row( rows, PR_DISPLAY_NAME_W, folders[i].name );
            ok( row != NULL, "no %s.\n", wine_dbgstr_w( folders[i].name ) );
            if (!row) continue;
            prop = row_prop( row, PR_CONTENT_COUNT );
            ok( prop && prop->Value.l == folders[i].count, "%s: count %ld.\n", wine_dbgstr_w( folders[i].name ),
                prop ? prop->Value.l : -1 );
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );

    if ((contacts = open_folder( &ts, distlist_uid, 0x8142 )))
    {
        hr = IMAPIFolder_GetProps( contacts, (SPropTagArray *)props_list, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
        if (props)
        {
            ok( !wcscmp( props[0].Value.lpszW, L"Contacts" ), "name %s.\n", wine_dbgstr_w( props[0].Value.lpszW ) );
            ok( props[1].ulPropTag == PR_CONTENT_COUNT && props[1].Value.l == 2, "count %ld.\n", props[1].Value.l );
            ok( props[2].ulPropTag == PR_SUBFOLDERS && !props[2].Value.b, "subfolders %d.\n", props[2].Value.b );
            ok( props[3].ulPropTag == PR_FOLDER_TYPE && props[3].Value.l == FOLDER_GENERIC, "type %ld.\n",
                props[3].Value.l );
            ok( props[4].Value.l == MAPI_FOLDER, "object type %ld.\n", props[4].Value.l );
            make_entryid( entryid, distlist_uid, 0x8022 );
            ok( props[5].Value.bin.cb == 24 && !memcmp( props[5].Value.bin.lpb, entryid, 24 ), "parent.\n" );
            make_entryid( entryid, distlist_uid, 0x8142 );
            ok( props[6].Value.bin.cb == 24 && !memcmp( props[6].Value.bin.lpb, entryid, 24 ), "entry ID.\n" );
            test_free_buffer( props );
        }
        IMAPIFolder_Release( contacts );
    }
    IMAPIFolder_Release( subtree );

done:
    close_test_store( &ts );
}

static void test_contents(void)
{
    SSortOrderSet sort = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    static const ULONG columns_list[] = { 3, PR_SUBJECT_W, PR_ENTRYID, PR_INSTANCE_KEY };
    SPropValue value;
    SRestriction res;
    const SPropValue *prop;
    struct test_store ts;
    IMAPITable *table = NULL;
    IMAPIFolder *contacts;
    SRowSet *rows;
    BYTE entryid[24];
    ULONG count, status;
    HRESULT hr;

    if (!open_test_store( "javalibpst_dist-list.pst", &ts )) return;
    if (!(contacts = open_folder( &ts, distlist_uid, 0x8142 ))) goto done;

    hr = IMAPIFolder_GetContentsTable( contacts, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    hr = IMAPITable_SetColumns( table, (SPropTagArray *)columns_list, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    hr = IMAPITable_SortTable( table, &sort, 0 );
    ok( hr == S_OK, "SortTable returned %#lx.\n", hr );
    if ((rows = query_all( table )))
    {
        ok( rows->cRows == 2, "%lu rows.\n", rows->cRows );
        if (rows->cRows == 2)
        {
            ok( !wcscmp( rows->aRow[0].lpProps[0].Value.lpszW, L"contact name 1" ), "first %s.\n",
                wine_dbgstr_w( rows->aRow[0].lpProps[0].Value.lpszW ) );
            ok( !wcscmp( rows->aRow[1].lpProps[0].Value.lpszW, L"test dist list" ), "second %s.\n",
                wine_dbgstr_w( rows->aRow[1].lpProps[0].Value.lpszW ) );
            make_entryid( entryid, distlist_uid, 0x200024 );
            prop = &rows->aRow[1].lpProps[1];
            ok( prop->ulPropTag == PR_ENTRYID && prop->Value.bin.cb == 24
                && !memcmp( prop->Value.bin.lpb, entryid, 24 ), "entry ID of the list.\n" );
            ok( rows->aRow[1].lpProps[2].ulPropTag == PR_INSTANCE_KEY, "no instance key.\n" );
        }
        free_rows( rows );
    }

    /* restricting to one subject */
    value.ulPropTag = PR_SUBJECT_W;
    value.Value.lpszW = (WCHAR *)L"test dist list";
    res.rt = RES_PROPERTY;
    res.res.resProperty.relop = RELOP_EQ;
    res.res.resProperty.ulPropTag = PR_SUBJECT_W;
    res.res.resProperty.lpProp = &value;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    ok( hr == S_OK, "Restrict returned %#lx.\n", hr );
    hr = table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, 0, NULL );
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 1, "%#lx: %lu rows after Restrict.\n", hr, count );
    IMAPITable_Release( table );

    /* the status comes from the contents row */
    make_entryid( entryid, distlist_uid, 0x200024 );
    status = 0xdeadbeef;
    hr = IMAPIFolder_GetMessageStatus( contacts, sizeof(entryid), (ENTRYID *)entryid, 0, &status );
    ok( hr == S_OK && status != 0xdeadbeef, "GetMessageStatus returned %#lx, %#lx.\n", hr, status );
    make_entryid( entryid, distlist_uid, 0x8142 );
    hr = IMAPIFolder_GetMessageStatus( contacts, sizeof(entryid), (ENTRYID *)entryid, 0, &status );
    ok( hr == MAPI_E_INVALID_ENTRYID, "a folder's status gave %#lx.\n", hr );

    /* the associated contents are a table of their own */
    table = NULL;
    hr = IMAPIFolder_GetContentsTable( contacts, MAPI_ASSOCIATED, &table );
    ok( hr == S_OK, "GetContentsTable(MAPI_ASSOCIATED) returned %#lx.\n", hr );
    if (table) IMAPITable_Release( table );
    hr = IMAPIFolder_GetContentsTable( contacts, 0x1000, &table );
    ok( hr == MAPI_E_UNKNOWN_FLAGS, "unknown flags gave %#lx.\n", hr );
    IMAPIFolder_Release( contacts );

done:
    close_test_store( &ts );
}

/* An ANSI file: subjects convert to Unicode on request */
static void test_ansi_contents(void)
{
    static const ULONG columns_list[] = { 2, PR_SUBJECT_W, PR_SUBJECT_A };
    struct test_store ts;
    IMAPITable *table = NULL;
    IMAPIFolder *folder;
    SRowSet *rows;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample2.pst", &ts )) return;
    if (!(folder = open_folder( &ts, sample2_uid, 0x8082 ))) goto done;

    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    hr = IMAPITable_SetColumns( table, (SPropTagArray *)columns_list, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    if ((rows = query_all( table )))
    {
        ok( rows->cRows == 1, "%lu rows.\n", rows->cRows );
        if (rows->cRows)
        {
            ok( rows->aRow[0].lpProps[0].ulPropTag == PR_SUBJECT_W
                && !wcscmp( rows->aRow[0].lpProps[0].Value.lpszW, L"Here is a sample message" ),
                "Unicode subject %#lx.\n", rows->aRow[0].lpProps[0].ulPropTag );
        }
        free_rows( rows );
    }
    IMAPITable_Release( table );
    IMAPIFolder_Release( folder );

done:
    close_test_store( &ts );
}

static const BYTE empty_uid[16] =
    { 0x53,0x66,0xe7,0xdd,0x90,0x0f,0xb7,0x4d,0xb6,0xe1,0x30,0xce,0xdf,0x3b,0xc0,0x77 };

static void test_empty_store(void)
{
    static const ULONG name_list[] = { 3, PR_DISPLAY_NAME_W, PR_CONTENT_COUNT, PR_FOLDER_TYPE };
    SPropValue *props = NULL;
    struct test_store ts;
    IMAPITable *table = NULL;
    IMAPIFolder *folder;
    IUnknown *unk = NULL;
    SRowSet *rows;
    ULONG count, type;
    HRESULT hr;

    if (!open_test_store( "outlook-pst-rs_Empty.pst", &ts )) return;
    hr = IMsgStore_OpenEntry( ts.store, 0, NULL, NULL, 0, &type, &unk );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    if (unk)
    {
        hr = IMAPIFolder_GetProps( (IMAPIFolder *)unk, (SPropTagArray *)name_list, MAPI_UNICODE, &count, &props );
        ok( SUCCEEDED(hr), "GetProps returned %#lx.\n", hr );
        ok( props && props[2].ulPropTag == PR_FOLDER_TYPE && props[2].Value.l == FOLDER_ROOT, "root type.\n" );
        test_free_buffer( props );
        hr = IMAPIFolder_GetHierarchyTable( (IMAPIFolder *)unk, MAPI_UNICODE, &table );
        ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
        if ((rows = query_all( table )))
        {
            ok( rows->cRows == 4, "%lu rows.\n", rows->cRows );
            ok( find_named_row( rows, PR_DISPLAY_NAME_W, L"IPM_COMMON_VIEWS" ) != NULL, "no IPM_COMMON_VIEWS.\n" );
            free_rows( rows );
        }
        IMAPITable_Release( table );
        IUnknown_Release( unk );
    }
    if ((folder = open_folder( &ts, empty_uid, 0x8022 )))
    {
        props = NULL;
        hr = IMAPIFolder_GetProps( folder, (SPropTagArray *)name_list, MAPI_UNICODE, &count, &props );
        ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
        ok( props && !wcscmp( props[0].Value.lpszW, L"Top of Outlook data file" ) && props[1].Value.l == 0,
            "subtree name or count.\n" );
        test_free_buffer( props );
        table = NULL;
        hr = IMAPIFolder_GetHierarchyTable( folder, MAPI_UNICODE, &table );
        ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
        if ((rows = query_all( table )))
        {
            ok( rows->cRows == 1 && find_named_row( rows, PR_DISPLAY_NAME_W, L"Deleted Items" ), "subfolders.\n" );
            free_rows( rows );
        }
        IMAPITable_Release( table );
        table = NULL;
        hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &table );
        ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
        hr = IMAPITable_GetRowCount( table, 0, &count );
        ok( hr == S_OK && !count, "%#lx: %lu messages.\n", hr, count );
        IMAPITable_Release( table );
        IMAPIFolder_Release( folder );
    }
    close_test_store( &ts );
}

static void test_read_only(void)
{
    SPropValue prop = { PR_DISPLAY_NAME_W };
    SPropProblemArray *problems = NULL;
    ENTRYLIST list = { 0, NULL };
    IMAPIFolder *folder, *created = NULL;
    struct test_store ts;
    IMessage *message = NULL;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample1.pst", &ts )) return;
    if (!(folder = open_folder( &ts, sample1_uid, 0x8082 ))) goto done;

    prop.Value.lpszW = (WCHAR *)L"x";
    hr = IMAPIFolder_SetProps( folder, 1, &prop, &problems );
    ok( hr == MAPI_E_NO_ACCESS, "SetProps returned %#lx.\n", hr );
    hr = IMAPIFolder_CreateMessage( folder, NULL, 0, &message );
    ok( hr == MAPI_E_NO_ACCESS, "CreateMessage returned %#lx.\n", hr );
    hr = IMAPIFolder_CreateMessage( folder, NULL, 0, NULL );
    ok( hr == MAPI_E_INVALID_PARAMETER, "CreateMessage without a pointer returned %#lx.\n", hr );
    hr = IMAPIFolder_CreateFolder( folder, FOLDER_GENERIC, (char *)"new", NULL, NULL, 0, (IMAPIFolder *)&created );
    ok( hr == MAPI_E_NO_ACCESS, "CreateFolder returned %#lx.\n", hr );
    hr = IMAPIFolder_DeleteMessages( folder, &list, 0, NULL, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "DeleteMessages returned %#lx.\n", hr );
    hr = IMAPIFolder_DeleteMessages( folder, NULL, 0, NULL, 0 );
    ok( hr == MAPI_E_INVALID_PARAMETER, "DeleteMessages without a list returned %#lx.\n", hr );
    hr = IMAPIFolder_EmptyFolder( folder, 0, NULL, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "EmptyFolder returned %#lx.\n", hr );
    hr = IMAPIFolder_SetReadFlags( folder, NULL, 0, NULL, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "SetReadFlags returned %#lx.\n", hr );
    hr = IMAPIFolder_SaveChanges( folder, 0 );
    ok( hr == MAPI_E_NO_ACCESS, "SaveChanges returned %#lx.\n", hr );
    IMAPIFolder_Release( folder );

done:
    close_test_store( &ts );
}

/* Everything opened from the store dies at IMSLogon::Logoff */
static void test_logoff(void)
{
    IMAPITable *hierarchy = NULL, *contents = NULL;
    SPropValue *props = NULL;
    struct test_store ts;
    IMAPIFolder *folder;
    SRowSet *rows = NULL;
    ULONG count;
    HRESULT hr;

    if (!open_test_store( "pstsdk_sample1.pst", &ts )) return;
    if (!(folder = open_folder( &ts, sample1_uid, 0x8022 )))
    {
        close_test_store( &ts );
        return;
    }
    hr = IMAPIFolder_GetHierarchyTable( folder, 0, &hierarchy );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    hr = IMAPIFolder_GetContentsTable( folder, 0, &contents );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );

    logoff_test_store( &ts );

    hr = IMAPIFolder_GetProps( folder, NULL, 0, &count, &props );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetProps returned %#lx.\n", hr );
    hr = IMAPIFolder_GetContentsTable( folder, 0, &contents );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetContentsTable returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( hierarchy, 1, 0, &rows );
    ok( hr == MAPI_E_INVALID_OBJECT, "QueryRows returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( contents, 0, &count );
    ok( hr == MAPI_E_INVALID_OBJECT, "GetRowCount returned %#lx.\n", hr );
    hr = hierarchy->lpVtbl->SeekRow( hierarchy, BOOKMARK_BEGINNING, 0, NULL );
    ok( hr == MAPI_E_INVALID_OBJECT, "SeekRow returned %#lx.\n", hr );
    ok( pDllCanUnloadNow() == S_FALSE, "objects are held.\n" );
    ok( !IMAPITable_Release( hierarchy ), "the hierarchy table is still referenced.\n" );
    ok( !IMAPITable_Release( contents ), "the contents table is still referenced.\n" );
    ok( !IMAPIFolder_Release( folder ), "the folder is still referenced.\n" );
    close_test_store( &ts );
}

START_TEST(folder)
{
    if (!init_winepst()) return;
    if (!getenv( "WINEMAPIX_TEST_DATA" ))
    {
        skip( "no sample PST files: set WINEMAPIX_TEST_DATA\n" );
        return;
    }
    test_hierarchy();
    test_folder_counts();
    test_contents();
    test_ansi_contents();
    test_empty_store();
    test_read_only();
    test_logoff();
    ok( live_blocks == 0, "%ld buffers leaked.\n", live_blocks );
    ok( pDllCanUnloadNow() == S_OK, "objects are alive after the test.\n" );
}
