/*
 * Conformance tests of winepst's engine-backed contents tables
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
 * A contents table answers from the engine until a call needs the snapshot
 * (bookmarks, sinks, default columns...) or the store is written; the two
 * must never be told apart.  Expected values of the dist-list sample come
 * from pypff (get_sub_message: identifier, subject,
 * get_delivery_time_as_integer, record set entries 0x001a, 0x0e07,
 * 0x0e08); the rest compares a table that stays engine-backed with one
 * handed over to the snapshot at once (CreateBookmark/FreeBookmark), given
 * the same calls.
 */

#include "winepst_test.h"

/* the dist-list sample: its UID, the Contacts folder and its two messages */
static const BYTE distlist_uid[16] =
    { 0xa4,0x1d,0x63,0xdb,0xc5,0x3b,0x8e,0x4a,0xb8,0x07,0x1e,0x15,0xe5,0x57,0x50,0xce };
static const BYTE sample1_uid[16] =
    { 0x6a,0x55,0x2b,0x81,0x3c,0x43,0xf9,0x43,0x84,0xf1,0x8b,0x7d,0xa2,0x39,0x3e,0x95 };
static const BYTE sample2_uid[16] =
    { 0x52,0x24,0xcb,0x63,0xe0,0x45,0x42,0x43,0x97,0x96,0x65,0x60,0x06,0x89,0x86,0x7a };
#define CONTACTS_NID  0x8142
#define LIST_NID      0x200024
#define CONTACT_NID   0x200064
#define LIST_TIME     0x01cf782179ec31d0ull
#define CONTACT_TIME  0x01cf7821679055c0ull
#define SAMPLE1_NID   0x8082

static void make_entryid( BYTE *entryid, const BYTE *uid, DWORD nid )
{
    memset( entryid, 0, 4 );
    memcpy( entryid + 4, uid, 16 );
    memcpy( entryid + 20, &nid, 4 );
}

static IMAPIFolder *open_folder( IMsgStore *store, const BYTE *uid, DWORD nid, ULONG flags )
{
    IUnknown *unk = NULL;
    BYTE entryid[24];
    ULONG type;
    HRESULT hr;

    make_entryid( entryid, uid, nid );
    hr = IMsgStore_OpenEntry( store, sizeof(entryid), (ENTRYID *)entryid, &IID_IMAPIFolder, flags, &type, &unk );
    ok( hr == S_OK, "opening folder %#lx returned %#lx.\n", nid, hr );
    return (IMAPIFolder *)unk;
}

static void free_rows( SRowSet *rows )
{
    ULONG i;

    if (!rows) return;
    for (i = 0; i < rows->cRows; i++) test_free_buffer( rows->aRow[i].lpProps );
    test_free_buffer( rows );
}

/* Hands a table over to the snapshot: what the old path gave. */
static void make_snapshot( IMAPITable *table )
{
    BOOKMARK bookmark;
    HRESULT hr;

    hr = IMAPITable_CreateBookmark( table, &bookmark );
    ok( hr == S_OK, "CreateBookmark returned %#lx.\n", hr );
    if (SUCCEEDED(hr)) IMAPITable_FreeBookmark( table, bookmark );
}

static BOOL props_equal( const SPropValue *a, const SPropValue *b )
{
    ULONG i;

    if (a->ulPropTag != b->ulPropTag) return FALSE;
    switch (PROP_TYPE(a->ulPropTag))
    {
    case PT_NULL: case PT_OBJECT: return TRUE;
    case PT_I2: return a->Value.i == b->Value.i;
    case PT_LONG: case PT_ERROR: return a->Value.l == b->Value.l;
    case PT_BOOLEAN: return !a->Value.b == !b->Value.b;
    case PT_STRING8: return !strcmp( a->Value.lpszA, b->Value.lpszA );
    case PT_UNICODE: return !wcscmp( a->Value.lpszW, b->Value.lpszW );
    case PT_CLSID: return !memcmp( a->Value.lpguid, b->Value.lpguid, sizeof(GUID) );
    case PT_BINARY:
        return a->Value.bin.cb == b->Value.bin.cb && !memcmp( a->Value.bin.lpb, b->Value.bin.lpb, a->Value.bin.cb );
    case PT_MV_UNICODE:
        if (a->Value.MVszW.cValues != b->Value.MVszW.cValues) return FALSE;
        for (i = 0; i < a->Value.MVszW.cValues; i++)
            if (wcscmp( a->Value.MVszW.lppszW[i], b->Value.MVszW.lppszW[i] )) return FALSE;
        return TRUE;
    case PT_MV_STRING8:
        if (a->Value.MVszA.cValues != b->Value.MVszA.cValues) return FALSE;
        for (i = 0; i < a->Value.MVszA.cValues; i++)
            if (strcmp( a->Value.MVszA.lppszA[i], b->Value.MVszA.lppszA[i] )) return FALSE;
        return TRUE;
    case PT_MV_BINARY:
        if (a->Value.MVbin.cValues != b->Value.MVbin.cValues) return FALSE;
        for (i = 0; i < a->Value.MVbin.cValues; i++)
            if (a->Value.MVbin.lpbin[i].cb != b->Value.MVbin.lpbin[i].cb
                    || memcmp( a->Value.MVbin.lpbin[i].lpb, b->Value.MVbin.lpbin[i].lpb, a->Value.MVbin.lpbin[i].cb ))
                return FALSE;
        return TRUE;
    case PT_MV_LONG:
        return a->Value.MVl.cValues == b->Value.MVl.cValues
               && !memcmp( a->Value.MVl.lpl, b->Value.MVl.lpl, a->Value.MVl.cValues * sizeof(LONG) );
    default:
        return !memcmp( &a->Value, &b->Value, sizeof(a->Value.li) );
    }
}

#define rows_equal(a, b) rows_equal_( __LINE__, a, b )
static void rows_equal_( unsigned int line, const SRowSet *a, const SRowSet *b )
{
    ULONG i, j;

    ok_( __FILE__, line )( a->cRows == b->cRows, "%lu rows, the snapshot %lu.\n", a->cRows, b->cRows );
    for (i = 0; i < min( a->cRows, b->cRows ); i++)
    {
        ok_( __FILE__, line )( a->aRow[i].cValues == b->aRow[i].cValues, "row %lu: %lu values, the snapshot %lu.\n",
                               i, a->aRow[i].cValues, b->aRow[i].cValues );
        for (j = 0; j < min( a->aRow[i].cValues, b->aRow[i].cValues ); j++)
            ok_( __FILE__, line )( props_equal( &a->aRow[i].lpProps[j], &b->aRow[i].lpProps[j] ),
                                   "row %lu column %lu: %#lx differs from the snapshot's %#lx.\n", i, j,
                                   a->aRow[i].lpProps[j].ulPropTag, b->aRow[i].lpProps[j].ulPropTag );
    }
}

/* Both tables answer QueryRows, QueryPosition and GetRowCount alike. */
#define same_rows(a, b, count, flags) same_rows_( __LINE__, a, b, count, flags )
static void same_rows_( unsigned int line, IMAPITable *fast, IMAPITable *snapshot, LONG count, ULONG flags )
{
    SRowSet *rows_a = NULL, *rows_b = NULL;
    ULONG pos_a, pos_b, num_a, num_b, den_a, den_b, count_a, count_b;
    HRESULT hr_a, hr_b;

    hr_a = IMAPITable_QueryRows( fast, count, flags, &rows_a );
    hr_b = IMAPITable_QueryRows( snapshot, count, flags, &rows_b );
    ok_( __FILE__, line )( hr_a == hr_b, "QueryRows(%ld) returned %#lx, the snapshot %#lx.\n", count, hr_a, hr_b );
    if (SUCCEEDED(hr_a) && SUCCEEDED(hr_b)) rows_equal_( line, rows_a, rows_b );
    if (SUCCEEDED(hr_a)) free_rows( rows_a );
    if (SUCCEEDED(hr_b)) free_rows( rows_b );
    hr_a = fast->lpVtbl->QueryPosition( fast, &pos_a, &num_a, &den_a );
    hr_b = snapshot->lpVtbl->QueryPosition( snapshot, &pos_b, &num_b, &den_b );
    ok_( __FILE__, line )( hr_a == S_OK && hr_b == S_OK && pos_a == pos_b && num_a == num_b && den_a == den_b,
                           "position %lu %lu/%lu, the snapshot %lu %lu/%lu.\n", pos_a, num_a, den_a, pos_b, num_b,
                           den_b );
    hr_a = IMAPITable_GetRowCount( fast, 0, &count_a );
    hr_b = IMAPITable_GetRowCount( snapshot, 0, &count_b );
    ok_( __FILE__, line )( hr_a == S_OK && hr_b == S_OK && count_a == count_b, "%lu rows, the snapshot %lu.\n",
                           count_a, count_b );
}

static const SPropValue *find_prop( const SRow *row, ULONG tag )
{
    ULONG i;

    for (i = 0; i < row->cValues; i++) if (row->lpProps[i].ulPropTag == tag) return &row->lpProps[i];
    return NULL;
}

/* ------------------------------------------------------------------ */

/* Values, sort and restriction of an engine-backed table against pypff. */
static void test_reader_values(void)
{
    static const ULONG columns[] = { 9, PR_SUBJECT_W, PR_MESSAGE_DELIVERY_TIME, PR_ENTRYID, PR_INSTANCE_KEY,
                                     PR_SUBJECT_A, PR_NULL, PROP_TAG(PT_LONG, 0x6601), PR_MESSAGE_FLAGS,
                                     PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_MESSAGE_CLASS_W)) };
    SSortOrderSet by_time = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    struct { ULONG cSorts, cCategories, cExpanded; SSortOrder aSort[2]; } by_class =
        { 2, 0, 0, { { PR_MESSAGE_CLASS_W, TABLE_SORT_DESCEND }, { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    const SPropValue *prop;
    struct test_store ts;
    IMAPITable *table = NULL;
    IMAPIFolder *contacts;
    SSortOrderSet *sort;
    SPropValue value;
    SRestriction res;
    SRowSet *rows;
    BYTE entryid[24];
    ULONG count, status, type, row, num, den;
    LONG sought;
    HRESULT hr;

    if (!open_test_store( "javalibpst_dist-list.pst", &ts )) return;
    check_log( "" );
    if (!(contacts = open_folder( ts.store, distlist_uid, CONTACTS_NID, 0 ))) goto done;
    hr = IMAPIFolder_GetContentsTable( contacts, MAPI_UNICODE, &table );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    if (FAILED(hr)) goto done;

    hr = IMAPITable_GetStatus( table, &status, &type );
    ok( hr == S_OK && status == TBLSTAT_COMPLETE && type == TBLTYPE_SNAPSHOT, "GetStatus %#lx %lu %lu.\n", hr,
        status, type );
    hr = IMAPITable_SetColumns( table, (SPropTagArray *)columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    hr = IMAPITable_SortTable( table, &by_time, 0 );
    ok( hr == S_OK, "SortTable returned %#lx.\n", hr );
    hr = IMAPITable_QuerySortOrder( table, &sort );
    ok( hr == S_OK && sort->cSorts == 1 && sort->aSort[0].ulPropTag == PR_MESSAGE_DELIVERY_TIME
        && sort->aSort[0].ulOrder == TABLE_SORT_DESCEND, "QuerySortOrder %#lx.\n", hr );
    if (SUCCEEDED(hr)) test_free_buffer( sort );
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 2, "GetRowCount %#lx, %lu.\n", hr, count );

    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK && rows->cRows == 2, "QueryRows %#lx.\n", hr );
    if (SUCCEEDED(hr) && rows->cRows == 2)
    {
        /* the newest first */
        ok( rows->aRow[0].cValues == 9, "%lu values.\n", rows->aRow[0].cValues );
        ok( !wcscmp( rows->aRow[0].lpProps[0].Value.lpszW, L"test dist list" ), "first %s.\n",
            wine_dbgstr_w( rows->aRow[0].lpProps[0].Value.lpszW ) );
        ok( !wcscmp( rows->aRow[1].lpProps[0].Value.lpszW, L"contact name 1" ), "second %s.\n",
            wine_dbgstr_w( rows->aRow[1].lpProps[0].Value.lpszW ) );
        prop = &rows->aRow[0].lpProps[1];
        ok( prop->ulPropTag == PR_MESSAGE_DELIVERY_TIME && prop->Value.ft.dwLowDateTime == (DWORD)LIST_TIME
            && prop->Value.ft.dwHighDateTime == (DWORD)(LIST_TIME >> 32), "delivery time %#lx.\n", prop->ulPropTag );
        prop = &rows->aRow[1].lpProps[1];
        ok( prop->Value.ft.dwLowDateTime == (DWORD)CONTACT_TIME, "delivery time of the contact.\n" );
        make_entryid( entryid, distlist_uid, LIST_NID );
        prop = &rows->aRow[0].lpProps[2];
        ok( prop->ulPropTag == PR_ENTRYID && prop->Value.bin.cb == 24 && !memcmp( prop->Value.bin.lpb, entryid, 24 ),
            "entry ID of the list.\n" );
        prop = &rows->aRow[1].lpProps[3];
        ok( prop->ulPropTag == PR_INSTANCE_KEY && prop->Value.bin.cb == 4
            && *(DWORD *)prop->Value.bin.lpb == CONTACT_NID, "instance key of the contact.\n" );
        prop = &rows->aRow[1].lpProps[4];
        ok( prop->ulPropTag == PR_SUBJECT_A && !strcmp( prop->Value.lpszA, "contact name 1" ), "ANSI subject %#lx.\n",
            prop->ulPropTag );
        ok( rows->aRow[0].lpProps[5].ulPropTag == PR_NULL, "PR_NULL gave %#lx.\n", rows->aRow[0].lpProps[5].ulPropTag );
        prop = &rows->aRow[0].lpProps[6];
        ok( prop->ulPropTag == PROP_TAG(PT_ERROR, 0x6601) && prop->Value.err == MAPI_E_NOT_FOUND,
            "a missing column gave %#lx.\n", prop->ulPropTag );
        prop = &rows->aRow[0].lpProps[7];
        ok( prop->ulPropTag == PR_MESSAGE_FLAGS && prop->Value.l == 1, "flags %#lx %#lx.\n", prop->ulPropTag,
            prop->Value.l );
        prop = &rows->aRow[0].lpProps[8];
        ok( prop->ulPropTag == PR_MESSAGE_CLASS_W && !wcscmp( prop->Value.lpszW, L"IPM.DistList" ), "class %#lx.\n",
            prop->ulPropTag );
        free_rows( rows );
    }

    /* cursor moves from the predefined bookmarks */
    hr = table->lpVtbl->SeekRow( table, BOOKMARK_END, -1, &sought );
    ok( hr == S_OK && sought == -1, "SeekRow %#lx, %ld.\n", hr, sought );
    hr = IMAPITable_QueryRows( table, 1, TBL_NOADVANCE, &rows );
    ok( hr == S_OK && rows->cRows == 1 && !wcscmp( rows->aRow[0].lpProps[0].Value.lpszW, L"contact name 1" ),
        "QueryRows(TBL_NOADVANCE) %#lx.\n", hr );
    if (SUCCEEDED(hr)) free_rows( rows );
    hr = table->lpVtbl->QueryPosition( table, &row, &num, &den );
    ok( hr == S_OK && row == 1 && num == 1 && den == 2, "QueryPosition %#lx %lu %lu/%lu.\n", hr, row, num, den );
    hr = IMAPITable_QueryRows( table, -5, 0, &rows );
    ok( hr == S_OK && rows->cRows == 1 && !wcscmp( rows->aRow[0].lpProps[0].Value.lpszW, L"test dist list" ),
        "QueryRows(-5) %#lx.\n", hr );
    if (SUCCEEDED(hr)) free_rows( rows );
    hr = table->lpVtbl->QueryPosition( table, &row, &num, &den );
    ok( hr == S_OK && row == 0, "QueryPosition %#lx %lu.\n", hr, row );
    hr = table->lpVtbl->SeekRow( table, BOOKMARK_CURRENT, 5, &sought );
    ok( hr == S_OK && sought == 2, "SeekRow %#lx, %ld.\n", hr, sought );
    hr = IMAPITable_SeekRowApprox( table, 1, 2 );
    ok( hr == S_OK, "SeekRowApprox %#lx.\n", hr );
    hr = table->lpVtbl->QueryPosition( table, &row, &num, &den );
    ok( hr == S_OK && row == 1, "QueryPosition %#lx %lu.\n", hr, row );

    /* two columns: IPM.DistList before IPM.Contact descending */
    hr = IMAPITable_SortTable( table, (SSortOrderSet *)&by_class, TBL_BATCH );
    ok( hr == S_OK, "SortTable returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK && rows->cRows == 2 && !wcscmp( rows->aRow[0].lpProps[0].Value.lpszW, L"test dist list" ),
        "sorted by class %#lx.\n", hr );
    if (SUCCEEDED(hr)) free_rows( rows );
    by_class.aSort[0].ulOrder = TABLE_SORT_ASCEND;
    hr = IMAPITable_SortTable( table, (SSortOrderSet *)&by_class, 0 );
    ok( hr == S_OK, "SortTable returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK && rows->cRows == 2 && !wcscmp( rows->aRow[0].lpProps[0].Value.lpszW, L"contact name 1" ),
        "sorted by class %#lx.\n", hr );
    if (SUCCEEDED(hr)) free_rows( rows );

    /* a substring of the subject, then of its ANSI form */
    value.ulPropTag = PR_SUBJECT_W;
    value.Value.lpszW = (WCHAR *)L"dist";
    res.rt = RES_CONTENT;
    res.res.resContent.ulFuzzyLevel = FL_SUBSTRING;
    res.res.resContent.ulPropTag = PR_SUBJECT_W;
    res.res.resContent.lpProp = &value;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    ok( hr == S_OK, "Restrict returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 1, "%lu rows.\n", count );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK && rows->cRows == 1 && (prop = find_prop( &rows->aRow[0], PR_INSTANCE_KEY ))
        && *(DWORD *)prop->Value.bin.lpb == LIST_NID, "restricted rows %#lx.\n", hr );
    if (SUCCEEDED(hr)) free_rows( rows );
    value.ulPropTag = PR_SUBJECT_A;
    value.Value.lpszA = (char *)"contact";
    res.res.resContent.ulPropTag = PR_SUBJECT_A;
    hr = table->lpVtbl->Restrict( table, &res, 0 );
    ok( hr == S_OK, "Restrict returned %#lx.\n", hr );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK && rows->cRows == 1 && (prop = find_prop( &rows->aRow[0], PR_INSTANCE_KEY ))
        && *(DWORD *)prop->Value.bin.lpb == CONTACT_NID, "restricted rows %#lx.\n", hr );
    if (SUCCEEDED(hr)) free_rows( rows );
    hr = table->lpVtbl->Restrict( table, NULL, 0 );
    ok( hr == S_OK, "Restrict(NULL) returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( table, 0, &count );
    ok( hr == S_OK && count == 2, "%lu rows.\n", count );

    /* after a hand-over the same state answers */
    make_snapshot( table );
    hr = IMAPITable_QueryRows( table, 10, 0, &rows );
    ok( hr == S_OK && rows->cRows == 2 && !wcscmp( rows->aRow[0].lpProps[0].Value.lpszW, L"contact name 1" )
        && rows->aRow[0].cValues == 9, "rows after the hand-over %#lx.\n", hr );
    if (SUCCEEDED(hr)) free_rows( rows );

    IMAPITable_Release( table );
    IMAPIFolder_Release( contacts );
done:
    close_test_store( &ts );
}

/* ------------------------------------------------------------------ */

/* A message with SUBJECT, delivery time TIME (0: none) and FLAGS. */
static void add_message( IMAPIFolder *folder, ULONG flags, const WCHAR *subject, ULONGLONG time, LONG msg_flags )
{
    SPropValue props[3];
    IMessage *message;
    ULONG n = 0;
    HRESULT hr;

    hr = IMAPIFolder_CreateMessage( folder, NULL, flags, &message );
    ok( hr == S_OK, "CreateMessage returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    props[n].ulPropTag = PR_SUBJECT_W;
    props[n++].Value.lpszW = (WCHAR *)subject;
    props[n].ulPropTag = PR_MESSAGE_FLAGS;
    props[n++].Value.l = msg_flags;
    if (time)
    {
        props[n].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
        props[n].Value.ft.dwLowDateTime = (DWORD)time;
        props[n++].Value.ft.dwHighDateTime = (DWORD)(time >> 32);
    }
    hr = IMessage_SetProps( message, n, props, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( message, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    IMessage_Release( message );
}

static const struct
{
    const WCHAR *subject;
    ULONGLONG time;
    LONG flags;
}
messages[] =
{
    /* equal times and subjects: ties go by the table's own order */
    { L"Wine #12", 0x01d0000000000300ull, 1 },
    { L"beta", 0x01d0000000000100ull, 0 },
    { L"Wine #1234", 0x01d0000000000300ull, 1 },
    { L"alpha", 0, 4 },
    { L"Gamma wine", 0x01d0000000000200ull, 0 },
    { L"beta", 0x01d0000000000100ull, 5 },
    { L"", 0x01d0000000000500ull, 0 },
    { L"delta", 0, 1 },
    { L"Wine #9", 0x81d0000000000000ull, 0 },
};

/* A folder of the messages above, returned with two tables with the same
 * columns: FAST engine-backed, SNAPSHOT handed over. */
static void table_pair( IMAPIFolder *folder, ULONG flags, IMAPITable **fast, IMAPITable **snapshot );

static IMAPIFolder *open_tables( struct test_store *ts, ULONG flags, IMAPITable **fast, IMAPITable **snapshot )
{
    IMAPIFolder *folder;
    ULONG i;

    *fast = *snapshot = NULL;
    if (!(folder = open_folder( ts->store, sample1_uid, SAMPLE1_NID, MAPI_MODIFY ))) return NULL;
    for (i = 0; i < ARRAY_SIZE(messages); i++)
        add_message( folder, flags & MAPI_ASSOCIATED, messages[i].subject, messages[i].time, messages[i].flags );
    table_pair( folder, flags, fast, snapshot );
    if (!*fast)
    {
        IMAPIFolder_Release( folder );
        return NULL;
    }
    return folder;
}

static void table_pair( IMAPIFolder *folder, ULONG flags, IMAPITable **fast, IMAPITable **snapshot )
{
    static const ULONG columns[] = { 10, PR_SUBJECT_W, PR_INSTANCE_KEY, PR_MESSAGE_DELIVERY_TIME, PR_ENTRYID,
                                     PR_SUBJECT_A, PR_MESSAGE_FLAGS, PR_NULL, PR_PARENT_ENTRYID, PR_OBJECT_TYPE,
                                     PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_SUBJECT_W)) };
    HRESULT hr;

    *fast = *snapshot = NULL;
    hr = IMAPIFolder_GetContentsTable( folder, flags, fast );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    hr = IMAPIFolder_GetContentsTable( folder, flags, snapshot );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    if (!*fast || !*snapshot)
    {
        if (*fast) IMAPITable_Release( *fast );
        if (*snapshot) IMAPITable_Release( *snapshot );
        *fast = *snapshot = NULL;
        return;
    }
    make_snapshot( *snapshot );
    hr = IMAPITable_SetColumns( *fast, (SPropTagArray *)columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
    hr = IMAPITable_SetColumns( *snapshot, (SPropTagArray *)columns, 0 );
    ok( hr == S_OK, "SetColumns returned %#lx.\n", hr );
}

static void sort_both( IMAPITable *fast, IMAPITable *snapshot, SSortOrderSet *sort, int line )
{
    HRESULT hr_a = IMAPITable_SortTable( fast, sort, 0 ), hr_b = IMAPITable_SortTable( snapshot, sort, 0 );

    ok_( __FILE__, line )( hr_a == S_OK && hr_b == S_OK, "SortTable returned %#lx, the snapshot %#lx.\n", hr_a,
                           hr_b );
}

static void restrict_both( IMAPITable *fast, IMAPITable *snapshot, SRestriction *res, int line )
{
    HRESULT hr_a = fast->lpVtbl->Restrict( fast, res, 0 ), hr_b = snapshot->lpVtbl->Restrict( snapshot, res, 0 );

    ok_( __FILE__, line )( hr_a == hr_b, "Restrict returned %#lx, the snapshot %#lx.\n", hr_a, hr_b );
}

static void seek_both( IMAPITable *fast, IMAPITable *snapshot, BOOKMARK origin, LONG count, int line )
{
    LONG sought_a = 0xdead, sought_b = 0xbeef;
    HRESULT hr_a = fast->lpVtbl->SeekRow( fast, origin, count, &sought_a );
    HRESULT hr_b = snapshot->lpVtbl->SeekRow( snapshot, origin, count, &sought_b );

    ok_( __FILE__, line )( hr_a == hr_b && sought_a == sought_b, "SeekRow %#lx %ld, the snapshot %#lx %ld.\n", hr_a,
                           sought_a, hr_b, sought_b );
}

static void find_both( IMAPITable *fast, IMAPITable *snapshot, SRestriction *res, BOOKMARK origin, ULONG flags,
                       int line )
{
    HRESULT hr_a = IMAPITable_FindRow( fast, res, origin, flags ), hr_b = IMAPITable_FindRow( snapshot, res, origin,
                                                                                              flags );

    ok_( __FILE__, line )( hr_a == hr_b, "FindRow returned %#lx, the snapshot %#lx.\n", hr_a, hr_b );
}

/* The same calls on both give the same answers. */
static void compare_views( IMAPITable *fast, IMAPITable *snapshot )
{
    SSortOrderSet by_time = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    SSortOrderSet by_subject = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    SSortOrderSet by_ansi = { 1, 0, 0, { { PR_SUBJECT_A, TABLE_SORT_DESCEND } } };
    struct { ULONG cSorts, cCategories, cExpanded; SSortOrder aSort[3]; } by_three =
        { 3, 0, 0, { { PR_MESSAGE_FLAGS, TABLE_SORT_ASCEND }, { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND },
                     { PR_SUBJECT_W, TABLE_SORT_DESCEND } } };
    SSortOrderSet time_up = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND } } };
    SSortOrderSet by_flags = { 1, 0, 0, { { PR_MESSAGE_FLAGS, TABLE_SORT_DESCEND } } };
    SSortOrderSet none = { 0, 0, 0 };
    SRestriction res, sub[2];
    SPropValue value, value2;

    same_rows( fast, snapshot, 100, TBL_NOADVANCE );
    sort_both( fast, snapshot, &by_time, __LINE__ );
    same_rows( fast, snapshot, 4, 0 );
    same_rows( fast, snapshot, -2, 0 );
    same_rows( fast, snapshot, 100, 0 );
    same_rows( fast, snapshot, 1, 0 );
    same_rows( fast, snapshot, -100, 0 );
    seek_both( fast, snapshot, BOOKMARK_CURRENT, 3, __LINE__ );
    same_rows( fast, snapshot, 2, TBL_NOADVANCE );
    seek_both( fast, snapshot, BOOKMARK_END, -4, __LINE__ );
    same_rows( fast, snapshot, 3, 0 );
    seek_both( fast, snapshot, BOOKMARK_BEGINNING, -4, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );

    sort_both( fast, snapshot, &by_subject, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
    sort_both( fast, snapshot, &by_ansi, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
    sort_both( fast, snapshot, (SSortOrderSet *)&by_three, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
    /* one numeric column: missing values first ascending, last descending */
    sort_both( fast, snapshot, &time_up, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
    sort_both( fast, snapshot, &by_flags, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );

    /* subject substring, case-insensitive */
    value.ulPropTag = PR_SUBJECT_W;
    value.Value.lpszW = (WCHAR *)L"wine";
    res.rt = RES_CONTENT;
    res.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
    res.res.resContent.ulPropTag = PR_SUBJECT_W;
    res.res.resContent.lpProp = &value;
    restrict_both( fast, snapshot, &res, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
    sort_both( fast, snapshot, &by_time, __LINE__ );
    same_rows( fast, snapshot, 2, 0 );

    /* no delivery time, or flags with bit 0 */
    sub[0].rt = RES_NOT;
    sub[0].res.resNot.lpRes = &sub[1];
    sub[1].rt = RES_EXIST;
    sub[1].res.resExist.ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    res.rt = RES_OR;
    res.res.resOr.cRes = 2;
    res.res.resOr.lpRes = sub;
    restrict_both( fast, snapshot, &res, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
    sub[1].rt = RES_BITMASK;
    sub[1].res.resBitMask.relBMR = BMR_NEZ;
    sub[1].res.resBitMask.ulPropTag = PR_MESSAGE_FLAGS;
    sub[1].res.resBitMask.ulMask = 1;
    restrict_both( fast, snapshot, &res, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );

    /* a time range; the ANSI subject equal to a value */
    value.ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    value.Value.ft.dwHighDateTime = 0x01d00000;
    value.Value.ft.dwLowDateTime = 0x200;
    res.rt = RES_PROPERTY;
    res.res.resProperty.relop = RELOP_GE;
    res.res.resProperty.ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    res.res.resProperty.lpProp = &value;
    restrict_both( fast, snapshot, &res, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
    value2.ulPropTag = PR_SUBJECT_A;
    value2.Value.lpszA = (char *)"beta";
    res.res.resProperty.relop = RELOP_EQ;
    res.res.resProperty.ulPropTag = PR_SUBJECT_A;
    res.res.resProperty.lpProp = &value2;
    restrict_both( fast, snapshot, &res, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );

    /* nothing matches; then no restriction and no sort */
    value2.Value.lpszA = (char *)"no such subject";
    restrict_both( fast, snapshot, &res, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
    same_rows( fast, snapshot, -1, 0 );
    restrict_both( fast, snapshot, NULL, __LINE__ );
    sort_both( fast, snapshot, &none, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
    sort_both( fast, snapshot, &by_time, __LINE__ );
    seek_both( fast, snapshot, BOOKMARK_BEGINNING, 3, __LINE__ );

    /* FindRow hands the table over in its state: sort, restriction, cursor */
    sort_both( fast, snapshot, &by_subject, __LINE__ );
    value.ulPropTag = PR_SUBJECT_W;
    value.Value.lpszW = (WCHAR *)L"a";
    res.rt = RES_CONTENT;
    res.res.resContent.ulFuzzyLevel = FL_SUBSTRING;
    res.res.resContent.ulPropTag = PR_SUBJECT_W;
    res.res.resContent.lpProp = &value;
    restrict_both( fast, snapshot, &res, __LINE__ );
    seek_both( fast, snapshot, BOOKMARK_BEGINNING, 3, __LINE__ );
    value.Value.lpszW = (WCHAR *)L"WINE";
    res.res.resContent.ulFuzzyLevel = FL_SUBSTRING | FL_IGNORECASE;
    find_both( fast, snapshot, &res, BOOKMARK_CURRENT, DIR_BACKWARD, __LINE__ );
    same_rows( fast, snapshot, 1, TBL_NOADVANCE );
    value.Value.lpszW = (WCHAR *)L"beta";
    find_both( fast, snapshot, &res, BOOKMARK_BEGINNING, 0, __LINE__ );
    same_rows( fast, snapshot, 1, TBL_NOADVANCE );
    value.Value.lpszW = (WCHAR *)L"no such row";
    find_both( fast, snapshot, &res, BOOKMARK_END, DIR_BACKWARD, __LINE__ );
    same_rows( fast, snapshot, 100, 0 );
}

/* Engine-backed and snapshot tables of the same folder, normal and associated. */
static void test_compare(void)
{
    static const ULONG flag_sets[] = { MAPI_UNICODE, 0, MAPI_ASSOCIATED | MAPI_UNICODE };
    IMAPITable *fast, *snapshot;
    struct test_store ts;
    IMAPIFolder *folder;
    ULONG i;

    for (i = 0; i < ARRAY_SIZE(flag_sets); i++)
    {
        winetest_push_context( "flags %#lx", flag_sets[i] );
        if (!open_test_store_flags( "pstsdk_sample1.pst", MDB_WRITE, &ts )) break;
        if ((folder = open_tables( &ts, flag_sets[i], &fast, &snapshot )))
        {
            compare_views( fast, snapshot );
            IMAPITable_Release( fast );
            IMAPITable_Release( snapshot );
            IMAPIFolder_Release( folder );
        }
        close_test_store( &ts );
        winetest_pop_context();
    }
}

/* An ANSI file: strings convert to the type asked for, both ways. */
static void test_ansi(void)
{
    static const ULONG columns[] = { 4, PR_SUBJECT_W, PR_SUBJECT_A, PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_SUBJECT_W)),
                                     PR_MESSAGE_CLASS_A };
    static const ULONG flag_sets[] = { MAPI_UNICODE, 0 };
    SSortOrderSet sort = { 1, 0, 0, { { PR_SUBJECT_A, TABLE_SORT_ASCEND } } };
    IMAPITable *fast = NULL, *snapshot = NULL;
    struct test_store ts;
    IMAPIFolder *folder;
    SPropValue value;
    SRestriction res;
    SRowSet *rows;
    HRESULT hr;
    ULONG i;

    if (!open_test_store( "pstsdk_sample2.pst", &ts )) return;
    /* pypff: folder "Sample2" (32898), one message "Here is a sample message" */
    if (!(folder = open_folder( ts.store, sample2_uid, SAMPLE1_NID, 0 ))) goto done;
    for (i = 0; i < ARRAY_SIZE(flag_sets); i++)
    {
        winetest_push_context( "flags %#lx", flag_sets[i] );
        hr = IMAPIFolder_GetContentsTable( folder, flag_sets[i], &fast );
        ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
        hr = IMAPIFolder_GetContentsTable( folder, flag_sets[i], &snapshot );
        ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
        if (FAILED(hr)) break;
        make_snapshot( snapshot );
        IMAPITable_SetColumns( fast, (SPropTagArray *)columns, 0 );
        IMAPITable_SetColumns( snapshot, (SPropTagArray *)columns, 0 );
        hr = IMAPITable_QueryRows( fast, 10, TBL_NOADVANCE, &rows );
        ok( hr == S_OK && rows->cRows == 1 && rows->aRow[0].lpProps[0].ulPropTag == PR_SUBJECT_W
            && !wcscmp( rows->aRow[0].lpProps[0].Value.lpszW, L"Here is a sample message" )
            && rows->aRow[0].lpProps[1].ulPropTag == PR_SUBJECT_A
            && !strcmp( rows->aRow[0].lpProps[1].Value.lpszA, "Here is a sample message" ), "rows %#lx.\n", hr );
        if (SUCCEEDED(hr)) free_rows( rows );
        same_rows( fast, snapshot, 10, 0 );
        sort_both( fast, snapshot, &sort, __LINE__ );
        value.ulPropTag = PR_SUBJECT_W;
        value.Value.lpszW = (WCHAR *)L"sample";
        res.rt = RES_CONTENT;
        res.res.resContent.ulFuzzyLevel = FL_SUBSTRING;
        res.res.resContent.ulPropTag = PR_SUBJECT_W;
        res.res.resContent.lpProp = &value;
        restrict_both( fast, snapshot, &res, __LINE__ );
        same_rows( fast, snapshot, 10, 0 );
        IMAPITable_Release( fast );
        IMAPITable_Release( snapshot );
        winetest_pop_context();
    }
    IMAPIFolder_Release( folder );
done:
    close_test_store( &ts );
}

/* ------------------------------------------------------------------ */

struct sink
{
    IMAPIAdviseSink IMAPIAdviseSink_iface;
    LONG refcount;
    ULONG events[64];
    ULONG count;
};

static HRESULT WINAPI sink_QueryInterface( IMAPIAdviseSink *iface, REFIID riid, void **out )
{
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sink_AddRef( IMAPIAdviseSink *iface )
{
    return InterlockedIncrement( &CONTAINING_RECORD( iface, struct sink, IMAPIAdviseSink_iface )->refcount );
}

static ULONG WINAPI sink_Release( IMAPIAdviseSink *iface )
{
    return InterlockedDecrement( &CONTAINING_RECORD( iface, struct sink, IMAPIAdviseSink_iface )->refcount );
}

static HRESULT WINAPI sink_OnNotify( IMAPIAdviseSink *iface, ULONG count, NOTIFICATION *notifications )
{
    struct sink *sink = CONTAINING_RECORD( iface, struct sink, IMAPIAdviseSink_iface );
    ULONG i;

    for (i = 0; i < count; i++)
        if (notifications[i].ulEventType == fnevTableModified && sink->count < ARRAY_SIZE(sink->events))
            sink->events[sink->count++] = notifications[i].info.tab.ulTableEvent;
    return 0;
}

static const IMAPIAdviseSinkVtbl sink_vtbl = { sink_QueryInterface, sink_AddRef, sink_Release, sink_OnNotify };

static void save_subject( IMsgStore *store, ULONG nid, const WCHAR *subject )
{
    IMessage *message = NULL;
    BYTE entryid[24];
    SPropValue prop;
    ULONG type;
    HRESULT hr;

    make_entryid( entryid, sample1_uid, nid );
    hr = IMsgStore_OpenEntry( store, sizeof(entryid), (ENTRYID *)entryid, NULL, MAPI_MODIFY, &type,
                              (IUnknown **)&message );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    if (FAILED(hr)) return;
    prop.ulPropTag = PR_SUBJECT_W;
    prop.Value.lpszW = (WCHAR *)subject;
    hr = IMessage_SetProps( message, 1, &prop, NULL );
    ok( hr == S_OK, "SetProps returned %#lx.\n", hr );
    hr = IMessage_SaveChanges( message, 0 );
    ok( hr == S_OK, "SaveChanges returned %#lx.\n", hr );
    IMessage_Release( message );
}

/* The NID of row N of the table in its current order. */
static ULONG row_nid( IMAPITable *table, ULONG n )
{
    SRowSet *rows = NULL;
    const SPropValue *prop;
    ULONG nid = 0;

    table->lpVtbl->SeekRow( table, BOOKMARK_BEGINNING, n, NULL );
    if (SUCCEEDED(IMAPITable_QueryRows( table, 1, TBL_NOADVANCE, &rows )) && rows->cRows
            && (prop = find_prop( &rows->aRow[0], PR_INSTANCE_KEY )))
        nid = *(DWORD *)prop->Value.bin.lpb;
    free_rows( rows );
    return nid;
}

/* Writes hand engine-backed tables over before they happen: rows, cursor
 * and notifications then follow as the snapshot's did. */
static void test_changes(void)
{
    SSortOrderSet by_time = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    SSortOrderSet by_subject = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    struct sink sink_a = { { &sink_vtbl }, 1 }, sink_b = { { &sink_vtbl }, 1 };
    IMAPITable *fast, *snapshot, *third = NULL;
    ULONG nid, conn_a, conn_b, count, i;
    IMAPIFolder *folder, *other = NULL;
    struct test_store ts;
    SPropValue value;
    SRestriction res;
    ENTRYLIST list;
    SBinary bin;
    BYTE entryid[24], folder_id[24];
    HRESULT hr;

    if (!open_test_store_flags( "pstsdk_sample1.pst", MDB_WRITE, &ts )) return;
    if (!(folder = open_tables( &ts, MAPI_UNICODE, &fast, &snapshot ))) goto done;
    sort_both( fast, snapshot, &by_subject, __LINE__ );

    /* a message saved: its row moves from before the cursor to the end,
     * which moves the cursor back */
    nid = row_nid( snapshot, 1 );
    seek_both( fast, snapshot, BOOKMARK_BEGINNING, 4, __LINE__ );
    save_subject( ts.store, nid, L"zz changed" );
    same_rows( fast, snapshot, 2, TBL_NOADVANCE );
    same_rows( fast, snapshot, 100, 0 );
    IMAPITable_Release( fast );
    IMAPITable_Release( snapshot );
    table_pair( folder, MAPI_UNICODE, &fast, &snapshot );
    sort_both( fast, snapshot, &by_time, __LINE__ );

    /* a third table opened now is engine-backed at the new commit */
    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &third );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( third, 0, &count );
    ok( hr == S_OK && count == ARRAY_SIZE(messages) + 1, "%lu rows.\n", count );

    /* deleting the row before the cursor moves the cursor */
    seek_both( fast, snapshot, BOOKMARK_BEGINNING, 3, __LINE__ );
    nid = row_nid( snapshot, 1 );
    seek_both( fast, snapshot, BOOKMARK_BEGINNING, 3, __LINE__ );
    make_entryid( entryid, sample1_uid, nid );
    bin.cb = sizeof(entryid);
    bin.lpb = entryid;
    list.cValues = 1;
    list.lpbin = &bin;
    hr = IMAPIFolder_DeleteMessages( folder, &list, 0, NULL, 0 );
    ok( hr == S_OK, "DeleteMessages returned %#lx.\n", hr );
    same_rows( fast, snapshot, 1, TBL_NOADVANCE );
    same_rows( fast, snapshot, -100, 0 );
    hr = IMAPITable_GetRowCount( third, 0, &count );
    ok( hr == S_OK && count == ARRAY_SIZE(messages), "%lu rows after the delete.\n", count );

    /* sinks: the table is handed over at Advise and notified as the snapshot */
    value.ulPropTag = PR_SUBJECT_W;
    value.Value.lpszW = (WCHAR *)L"e";
    res.rt = RES_CONTENT;
    res.res.resContent.ulFuzzyLevel = FL_SUBSTRING;
    res.res.resContent.ulPropTag = PR_SUBJECT_W;
    res.res.resContent.lpProp = &value;
    restrict_both( fast, snapshot, &res, __LINE__ );
    hr = IMAPITable_Advise( fast, fnevTableModified, &sink_a.IMAPIAdviseSink_iface, &conn_a );
    ok( hr == S_OK, "Advise returned %#lx.\n", hr );
    hr = IMAPITable_Advise( snapshot, fnevTableModified, &sink_b.IMAPIAdviseSink_iface, &conn_b );
    ok( hr == S_OK, "Advise returned %#lx.\n", hr );
    same_rows( fast, snapshot, 100, TBL_NOADVANCE );
    add_message( folder, 0, L"new one", 0x01d0000000000400ull, 0 );
    add_message( folder, 0, L"no match", 0x01d0000000000400ull, 0 );
    same_rows( fast, snapshot, 100, 0 );

    /* a move to another folder: a row gone */
    hr = IMAPIFolder_CreateFolder( folder, FOLDER_GENERIC, (char *)L"moved here", NULL, NULL, MAPI_UNICODE,
                                   (IMAPIFolder *)&other );
    ok( hr == S_OK, "CreateFolder returned %#lx.\n", hr );
    nid = row_nid( snapshot, 0 );
    seek_both( fast, snapshot, BOOKMARK_BEGINNING, 1, __LINE__ );
    make_entryid( entryid, sample1_uid, nid );
    if (other)
    {
        SPropTagArray tags = { 1, { PR_ENTRYID } };
        SPropValue *props;
        ULONG n;

        hr = IMAPIFolder_GetProps( other, &tags, 0, &n, &props );
        ok( hr == S_OK, "GetProps returned %#lx.\n", hr );
        if (SUCCEEDED(hr))
        {
            memcpy( folder_id, props[0].Value.bin.lpb, min( props[0].Value.bin.cb, sizeof(folder_id) ) );
            test_free_buffer( props );
        }
        hr = IMAPIFolder_CopyMessages( folder, &list, &IID_IMAPIFolder, other, 0, NULL, MESSAGE_MOVE );
        ok( hr == S_OK, "CopyMessages(MESSAGE_MOVE) returned %#lx.\n", hr );
    }
    same_rows( fast, snapshot, 100, 0 );
    ok( sink_a.count && sink_a.count == sink_b.count, "%lu events, the snapshot %lu.\n", sink_a.count,
        sink_b.count );
    for (i = 0; i < min( sink_a.count, sink_b.count ); i++)
        ok( sink_a.events[i] == sink_b.events[i], "event %lu: %#lx, the snapshot %#lx.\n", i, sink_a.events[i],
            sink_b.events[i] );
    hr = IMAPITable_Unadvise( fast, conn_a );
    ok( hr == S_OK, "Unadvise returned %#lx.\n", hr );
    hr = IMAPITable_Unadvise( snapshot, conn_b );
    ok( hr == S_OK, "Unadvise returned %#lx.\n", hr );
    hr = IMAPITable_Unadvise( fast, conn_a );
    ok( hr == MAPI_E_NOT_FOUND, "a second Unadvise returned %#lx.\n", hr );
    hr = IMAPITable_GetRowCount( third, 0, &count );
    ok( hr == S_OK && count == ARRAY_SIZE(messages) + 1, "%lu rows after the move.\n", count );

    if (other) IMAPIFolder_Release( other );
    IMAPITable_Release( third );
    IMAPITable_Release( fast );
    IMAPITable_Release( snapshot );
    ok( sink_a.refcount == 1 && sink_b.refcount == 1, "sinks still held: %ld %ld.\n", sink_a.refcount,
        sink_b.refcount );
    IMAPIFolder_Release( folder );
done:
    close_test_store( &ts );
}

/* ------------------------------------------------------------------ */

/* What the snapshot refuses, the engine-backed table refuses alike. */
static void test_errors(void)
{
    SizedSPropTagArray(1, huge) = { 0x7fffffff, { PR_SUBJECT_W } };
    static const ULONG columns[] = { 1, PR_SUBJECT_W };
    SSortOrderSet bad_order = { 1, 0, 0, { { PR_SUBJECT_W, 7 } } };
    SSortOrderSet combine = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_COMBINE } } };
    SSortOrderSet category = { 1, 1, 1, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    SSortOrderSet too_many = { 1, 2, 0, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    SSortOrderSet good = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    SRestriction res;
    struct test_store ts;
    IMAPIFolder *contacts;
    IMAPITable *table[2] = { 0 };
    HRESULT hr[2];
    SPropTagArray *cols;
    SSortOrderSet *sort;
    SRowSet *rows;
    MAPIERROR *error;
    ULONG status, type, count, i, n;
    BOOKMARK bookmark;

    if (!open_test_store( "javalibpst_dist-list.pst", &ts )) return;
    if (!(contacts = open_folder( ts.store, distlist_uid, CONTACTS_NID, 0 ))) goto done;

#define BOTH(call) \
    do { \
        for (i = 0; i < 2; i++) \
        { \
            IMAPITable *t; \
            IMAPIFolder_GetContentsTable( contacts, MAPI_UNICODE, &table[i] ); \
            t = table[i]; \
            if (i) make_snapshot( t ); \
            IMAPITable_SetColumns( t, (SPropTagArray *)columns, 0 ); \
            hr[i] = call; \
        } \
        ok( hr[0] == hr[1], "%s returned %#lx, the snapshot %#lx.\n", #call, hr[0], hr[1] ); \
        for (i = 0; i < 2; i++) IMAPITable_Release( table[i] ); \
    } while (0)

    BOTH( IMAPITable_SetColumns( t, NULL, 0 ) );
    BOTH( IMAPITable_SetColumns( t, (SPropTagArray *)&huge, 0 ) );
    BOTH( IMAPITable_SetColumns( t, (SPropTagArray *)columns, 0x1000 ) );
    BOTH( IMAPITable_QueryColumns( t, 0, NULL ) );
    BOTH( IMAPITable_QueryColumns( t, 0x1000, &cols ) );
    BOTH( IMAPITable_GetRowCount( t, 0, NULL ) );
    BOTH( IMAPITable_GetRowCount( t, 1, &count ) );
    BOTH( IMAPITable_GetStatus( t, NULL, &type ) );
    BOTH( IMAPITable_GetLastError( t, S_OK, 0, NULL ) );
    BOTH( IMAPITable_GetLastError( t, S_OK, 0x1000, &error ) );
    BOTH( IMAPITable_QueryRows( t, 0, 0, &rows ) );
    BOTH( IMAPITable_QueryRows( t, 1, 0, NULL ) );
    BOTH( IMAPITable_QueryRows( t, 1, 0x1000, &rows ) );
    BOTH( t->lpVtbl->SeekRow( t, 12345, 0, NULL ) );
    BOTH( IMAPITable_SeekRowApprox( t, 1, 0 ) );
    BOTH( t->lpVtbl->QueryPosition( t, NULL, &count, &count ) );
    BOTH( IMAPITable_SortTable( t, NULL, 0 ) );
    BOTH( IMAPITable_SortTable( t, &bad_order, 0 ) );
    BOTH( IMAPITable_SortTable( t, &combine, 0 ) );
    BOTH( IMAPITable_SortTable( t, &category, 0 ) );
    BOTH( IMAPITable_SortTable( t, &too_many, 0 ) );
    BOTH( IMAPITable_SortTable( t, &good, 0x1000 ) );
    BOTH( IMAPITable_QuerySortOrder( t, NULL ) );
    BOTH( IMAPITable_FreeBookmark( t, 12345 ) );
    BOTH( IMAPITable_CreateBookmark( t, NULL ) );
    BOTH( IMAPITable_FindRow( t, NULL, BOOKMARK_BEGINNING, 0 ) );
    BOTH( t->lpVtbl->Restrict( t, NULL, 0x1000 ) );
    memset( &res, 0, sizeof(res) );
    res.rt = 99;
    BOTH( t->lpVtbl->Restrict( t, &res, 0 ) );
    res.rt = RES_SUBRESTRICTION;
    res.res.resSub.ulSubObject = PR_MESSAGE_RECIPIENTS;
    BOTH( t->lpVtbl->Restrict( t, &res, 0 ) );
    res.rt = RES_CONTENT;
    BOTH( t->lpVtbl->Restrict( t, &res, 0 ) );
    BOTH( IMAPITable_Unadvise( t, 1 ) );
    BOTH( IMAPITable_Advise( t, fnevTableModified, NULL, &count ) );
    BOTH( IMAPITable_Abort( t ) );
    BOTH( IMAPITable_ExpandRow( t, 0, NULL, 1, 0, &rows, &count ) );
    BOTH( IMAPITable_CollapseRow( t, 0, NULL, 0, &count ) );
#undef BOTH

    /* the default columns and TBL_ALL_COLUMNS come from the snapshot */
    for (i = 0; i < 2; i++)
    {
        IMAPIFolder_GetContentsTable( contacts, MAPI_UNICODE, &table[i] );
        if (i) make_snapshot( table[i] );
    }
    for (n = 0; n < 2; n++)
    {
        SPropTagArray *got[2] = { 0 };

        for (i = 0; i < 2; i++) hr[i] = IMAPITable_QueryColumns( table[i], n ? TBL_ALL_COLUMNS : 0, &got[i] );
        ok( hr[0] == S_OK && hr[1] == S_OK, "QueryColumns returned %#lx, %#lx.\n", hr[0], hr[1] );
        if (got[0] && got[1])
            ok( got[0]->cValues == got[1]->cValues && got[0]->cValues > 6
                && !memcmp( got[0]->aulPropTag, got[1]->aulPropTag, got[0]->cValues * sizeof(ULONG) ),
                "columns %lu differ from the snapshot's %lu.\n", got[0]->cValues, got[1]->cValues );
        for (i = 0; i < 2; i++) if (got[i]) test_free_buffer( got[i] );
    }
    same_rows( table[0], table[1], 10, 0 );
    for (i = 0; i < 2; i++)
    {
        hr[i] = IMAPITable_GetStatus( table[i], &status, &type );
        ok( hr[i] == S_OK && status == TBLSTAT_COMPLETE && type == TBLTYPE_SNAPSHOT, "GetStatus %#lx.\n", hr[i] );
        hr[i] = IMAPITable_QuerySortOrder( table[i], &sort );
        ok( hr[i] == S_OK && !sort->cSorts, "QuerySortOrder %#lx.\n", hr[i] );
        if (SUCCEEDED(hr[i])) test_free_buffer( sort );
        hr[i] = IMAPITable_CreateBookmark( table[i], &bookmark );
        ok( hr[i] == S_OK, "CreateBookmark %#lx.\n", hr[i] );
        IMAPITable_Release( table[i] );
    }

    IMAPIFolder_Release( contacts );
done:
    close_test_store( &ts );
}

/* An engine-backed table dies with its logon, whatever the call. */
static void test_logoff(void)
{
    static const ULONG columns[] = { 1, PR_SUBJECT_W };
    SSortOrderSet sort = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    struct sink sink = { { &sink_vtbl }, 1 };
    IMAPITable *table[2] = { 0 };
    struct test_store ts;
    IMAPIFolder *contacts;
    SPropTagArray *cols;
    SSortOrderSet *order;
    SRowSet *rows;
    MAPIERROR *error;
    BOOKMARK bookmark;
    ULONG count, status, type, i;
    LONG sought;
    HRESULT hr;

    if (!open_test_store( "javalibpst_dist-list.pst", &ts )) return;
    if (!(contacts = open_folder( ts.store, distlist_uid, CONTACTS_NID, 0 )))
    {
        close_test_store( &ts );
        return;
    }
    for (i = 0; i < 2; i++)
    {
        hr = IMAPIFolder_GetContentsTable( contacts, MAPI_UNICODE, &table[i] );
        ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
        IMAPITable_SetColumns( table[i], (SPropTagArray *)columns, 0 );
        IMAPITable_SortTable( table[i], &sort, 0 );
    }
    make_snapshot( table[1] );
    logoff_test_store( &ts );

    for (i = 0; i < 2; i++)
    {
        IMAPITable *t = table[i];

        winetest_push_context( "table %lu", i );
        ok( IMAPITable_SetColumns( t, (SPropTagArray *)columns, 0 ) == MAPI_E_INVALID_OBJECT, "SetColumns.\n" );
        ok( IMAPITable_QueryColumns( t, 0, &cols ) == MAPI_E_INVALID_OBJECT, "QueryColumns.\n" );
        ok( IMAPITable_GetRowCount( t, 0, &count ) == MAPI_E_INVALID_OBJECT, "GetRowCount.\n" );
        ok( IMAPITable_QueryRows( t, 1, 0, &rows ) == MAPI_E_INVALID_OBJECT, "QueryRows.\n" );
        ok( IMAPITable_SortTable( t, &sort, 0 ) == MAPI_E_INVALID_OBJECT, "SortTable.\n" );
        ok( IMAPITable_QuerySortOrder( t, &order ) == MAPI_E_INVALID_OBJECT, "QuerySortOrder.\n" );
        ok( t->lpVtbl->Restrict( t, NULL, 0 ) == MAPI_E_INVALID_OBJECT, "Restrict.\n" );
        ok( t->lpVtbl->SeekRow( t, BOOKMARK_BEGINNING, 0, &sought ) == MAPI_E_INVALID_OBJECT, "SeekRow.\n" );
        ok( IMAPITable_SeekRowApprox( t, 0, 1 ) == MAPI_E_INVALID_OBJECT, "SeekRowApprox.\n" );
        ok( t->lpVtbl->QueryPosition( t, &count, &count, &count ) == MAPI_E_INVALID_OBJECT, "QueryPosition.\n" );
        ok( IMAPITable_GetStatus( t, &status, &type ) == MAPI_E_INVALID_OBJECT, "GetStatus.\n" );
        ok( IMAPITable_GetLastError( t, S_OK, 0, &error ) == MAPI_E_INVALID_OBJECT, "GetLastError.\n" );
        ok( IMAPITable_CreateBookmark( t, &bookmark ) == MAPI_E_INVALID_OBJECT, "CreateBookmark.\n" );
        ok( IMAPITable_FindRow( t, NULL, BOOKMARK_BEGINNING, 0 ) == MAPI_E_INVALID_OBJECT, "FindRow.\n" );
        ok( IMAPITable_Advise( t, fnevTableModified, &sink.IMAPIAdviseSink_iface, &count ) == MAPI_E_INVALID_OBJECT,
            "Advise.\n" );
        ok( IMAPITable_Abort( t ) == MAPI_E_INVALID_OBJECT, "Abort.\n" );
        ok( IMAPITable_AddRef( t ) == 2, "AddRef.\n" );
        ok( IMAPITable_Release( t ) == 1, "Release.\n" );
        ok( !IMAPITable_Release( t ), "still referenced.\n" );
        winetest_pop_context();
    }
    ok( sink.refcount == 1, "sink held: %ld.\n", sink.refcount );
    IMAPIFolder_Release( contacts );
    close_test_store( &ts );
}

/* Calls from threads while others write: no crash, consistent counts. */
struct thread_args
{
    IMAPIFolder *folder;
    LONG failures;
};

static DWORD WINAPI reader_thread( void *arg )
{
    static const ULONG columns[] = { 2, PR_SUBJECT_W, PR_INSTANCE_KEY };
    SSortOrderSet sort = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_DESCEND } } };
    struct thread_args *args = arg;
    IMAPITable *table;
    SRowSet *rows;
    ULONG i, count;

    for (i = 0; i < 20; i++)
    {
        if (FAILED(IMAPIFolder_GetContentsTable( args->folder, MAPI_UNICODE, &table )))
        {
            InterlockedIncrement( &args->failures );
            continue;
        }
        if (FAILED(IMAPITable_SetColumns( table, (SPropTagArray *)columns, 0 ))
                || FAILED(IMAPITable_SortTable( table, &sort, 0 ))
                || FAILED(IMAPITable_GetRowCount( table, 0, &count ))
                || FAILED(IMAPITable_QueryRows( table, 100, 0, &rows )))
            InterlockedIncrement( &args->failures );
        else
        {
            /* a commit between the calls adds rows, never removes them */
            if (rows->cRows < count) InterlockedIncrement( &args->failures );
            free_rows( rows );
        }
        IMAPITable_Release( table );
    }
    return 0;
}

static void test_threads(void)
{
    struct thread_args args = { 0 };
    struct test_store ts;
    HANDLE threads[2];
    ULONG i;

    if (!open_test_store_flags( "pstsdk_sample1.pst", MDB_WRITE, &ts )) return;
    if ((args.folder = open_folder( ts.store, sample1_uid, SAMPLE1_NID, MAPI_MODIFY )))
    {
        for (i = 0; i < ARRAY_SIZE(threads); i++) threads[i] = CreateThread( NULL, 0, reader_thread, &args, 0, NULL );
        for (i = 0; i < 10; i++) add_message( args.folder, 0, L"threaded", 0x01d0000000000100ull + i, 0 );
        WaitForMultipleObjects( ARRAY_SIZE(threads), threads, TRUE, INFINITE );
        for (i = 0; i < ARRAY_SIZE(threads); i++) CloseHandle( threads[i] );
        ok( !args.failures, "%ld failures.\n", args.failures );
        IMAPIFolder_Release( args.folder );
    }
    close_test_store( &ts );
}

START_TEST(contents)
{
    if (!init_winepst()) return;
    test_reader_values();
    test_compare();
    test_ansi();
    test_changes();
    test_errors();
    test_logoff();
    test_threads();
}
