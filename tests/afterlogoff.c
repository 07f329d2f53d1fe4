/*
 * End to end: every method of every object a client can hold, called after
 * the object's logon died
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
 * The matrix is generated: each interface has one list of slots, each slot a
 * call with plausible arguments, expanded once into call thunks and once
 * into a table indexed by the slot's vtable offset.  check_tables() proves
 * every table covers every slot of its vtable exactly once, so a method
 * cannot be forgotten.  Each scenario holds one of every object (session
 * side: session, its tables, profile section, service and provider admin;
 * store side: store, folders, tables, messages, attachment, embedded
 * message, stream), ends the logon one way, runs the whole table on every
 * object that must now be dead, releases everything and checks that the
 * memory went: MAPI's buffer count is back to its start value and winepst
 * can unload.
 *
 * Expected answers: MAPI_E_INVALID_OBJECT (DESIGN.md; mapi-logoff.md R5.9,
 * R6.5, (d)3); IStream methods STG_E_REVERTED (IStream's code for a stream
 * whose storage went away); IMAPISession::Logoff S_OK (Q4: a repeated
 * Logoff succeeds and does nothing); QueryInterface is either refused or
 * balanced; AddRef and Release keep working.
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

static LONG (WINAPI *pMAPIXGetLiveBuffers)(void);

static const WCHAR profile_name[] = L"winepst after logoff";
static WCHAR pst_path[MAX_PATH];

static const GUID iid_unknown = { 0, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID iid_stream = { 0x0000000c, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };
static const GUID iid_message = { 0x00020307, 0, 0, { 0xc0, 0, 0, 0, 0, 0, 0, 0x46 } };

/* Arguments of the calls: plausible, so that a live object would act on
 * them, which makes a missing liveness check visible. */
static BYTE entry_bytes[256];
static ENTRYID *entry = (ENTRYID *)entry_bytes;
static ULONG entry_size;
static SBinary entry_bin = { 0, entry_bytes };
static ENTRYLIST entry_list = { 1, &entry_bin };
static MAPIUID some_uid = { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 } };
static SizedSPropTagArray(1, one_tag) = { 1, { PR_DISPLAY_NAME_W } };
static SPropValue one_prop = { PR_SUBJECT_W, 0, { .lpszW = (WCHAR *)L"after logoff" } };
static SRestriction exist_res = { RES_EXIST, { .resExist = { 0, PR_SUBJECT_W, 0 } } };
static SSortOrderSet sort_order = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
static MAPINAMEID name_id = { (GUID *)&iid_message, MNID_ID, { .lID = 0x8501 } };
static MAPINAMEID *name_ids = &name_id;
static BYTE key[8];
static char message_class[] = "IPM.Note";

/* Outputs: written only if a dead object wrongly succeeds. */
static IUnknown *out_unk;
static ULONG out_ulong, out_ulong2, out_type;
static ULONG_PTR out_conn;
static SPropValue *out_props;
static SPropTagArray *out_tags;
static SPropProblemArray *out_problems;
static MAPIERROR *out_error;
static MAPINAMEID **out_names;
static SRestriction *out_res;
static ENTRYLIST *out_list;
static SSortOrderSet *out_sort;
static SRowSet *out_rows;
static BOOKMARK out_bookmark;
static LONG out_long;
static BYTE *out_bytes;
static ENTRYID *out_entry;
static char *out_string, **out_strings;
static ULARGE_INTEGER out_ularge, out_ularge2;
static STATSTG out_stat;
static BYTE buffer[64];

typedef HRESULT (*call_thunk)( IUnknown *obj );

struct slot
{
    const char *name;
    unsigned int index;
    call_thunk call;
};

struct iface_table
{
    const char *name;
    unsigned int vtbl_slots;
    const struct slot *slots;
    unsigned int count;
    HRESULT expect;     /* of every slot but the IUnknown ones */
};

/* IUnknown: QueryInterface refused or balanced, AddRef/Release working */
static HRESULT call_QueryInterface( IUnknown *obj )
{
    IUnknown *unk = NULL;
    HRESULT hr = IUnknown_QueryInterface( obj, &iid_unknown, (void **)&unk );

    if (hr == S_OK && unk) IUnknown_Release( unk );
    return hr == S_OK || hr == MAPI_E_INVALID_OBJECT || hr == E_NOINTERFACE ? S_OK : hr;
}

static HRESULT call_AddRef( IUnknown *obj )
{
    ULONG added = IUnknown_AddRef( obj ), released = IUnknown_Release( obj );

    return added >= 2 && released == added - 1 ? S_OK : E_FAIL;
}

#define call_Release call_AddRef

#define THUNK( iface, method, args ) \
    static HRESULT call_##iface##_##method( IUnknown *unk ) \
    { \
        iface *obj = (iface *)unk; \
        return obj->lpVtbl->method args; \
    }
#define ENTRY( iface, method, args ) \
    { #method, offsetof(iface##Vtbl, method) / sizeof(void *), call_##iface##_##method },
#define UNKNOWN_ENTRIES( iface ) \
    { "QueryInterface", offsetof(iface##Vtbl, QueryInterface) / sizeof(void *), call_QueryInterface }, \
    { "AddRef", offsetof(iface##Vtbl, AddRef) / sizeof(void *), call_AddRef }, \
    { "Release", offsetof(iface##Vtbl, Release) / sizeof(void *), call_Release },

#define PROP_SLOTS( X, I ) \
    X( I, GetLastError, (obj, MAPI_E_CALL_FAILED, 0, &out_error) ) \
    X( I, SaveChanges, (obj, KEEP_OPEN_READWRITE) ) \
    X( I, GetProps, (obj, (SPropTagArray *)&one_tag, MAPI_UNICODE, &out_ulong, &out_props) ) \
    X( I, GetPropList, (obj, MAPI_UNICODE, &out_tags) ) \
    X( I, OpenProperty, (obj, PR_SUBJECT_W, &iid_stream, 0, 0, &out_unk) ) \
    X( I, SetProps, (obj, 1, &one_prop, &out_problems) ) \
    X( I, DeleteProps, (obj, (SPropTagArray *)&one_tag, &out_problems) ) \
    X( I, CopyTo, (obj, 0, NULL, NULL, 0, NULL, &iid_message, NULL, 0, &out_problems) ) \
    X( I, CopyProps, (obj, (SPropTagArray *)&one_tag, 0, NULL, &iid_message, NULL, 0, &out_problems) ) \
    X( I, GetNamesFromIDs, (obj, &out_tags, NULL, 0, &out_ulong, &out_names) ) \
    X( I, GetIDsFromNames, (obj, 1, &name_ids, MAPI_CREATE, &out_tags) )

#define CONTAINER_SLOTS( X, I ) \
    X( I, GetContentsTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, GetHierarchyTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, OpenEntry, (obj, entry_size, entry, NULL, 0, &out_type, &out_unk) ) \
    X( I, SetSearchCriteria, (obj, &exist_res, &entry_list, RESTART_SEARCH) ) \
    X( I, GetSearchCriteria, (obj, 0, &out_res, &out_list, &out_ulong) )

#define FOLDER_SLOTS( X, I ) \
    PROP_SLOTS( X, I ) \
    CONTAINER_SLOTS( X, I ) \
    X( I, CreateMessage, (obj, NULL, 0, (IMessage **)&out_unk) ) \
    X( I, CopyMessages, (obj, &entry_list, NULL, NULL, 0, NULL, 0) ) \
    X( I, DeleteMessages, (obj, &entry_list, 0, NULL, 0) ) \
    X( I, CreateFolder, (obj, FOLDER_GENERIC, (char *)"new", NULL, NULL, 0, (IMAPIFolder *)&out_unk) ) \
    X( I, CopyFolder, (obj, entry_size, entry, NULL, NULL, NULL, 0, NULL, 0) ) \
    X( I, DeleteFolder, (obj, entry_size, entry, 0, NULL, DEL_FOLDERS | DEL_MESSAGES) ) \
    X( I, SetReadFlags, (obj, &entry_list, 0, NULL, 0) ) \
    X( I, GetMessageStatus, (obj, entry_size, entry, 0, &out_ulong) ) \
    X( I, SetMessageStatus, (obj, entry_size, entry, 0, 0, &out_ulong) ) \
    X( I, SaveContentsSort, (obj, (SSortOrderSet *)&sort_order, 0) ) \
    X( I, EmptyFolder, (obj, 0, NULL, 0) )

#define STORE_SLOTS( X, I ) \
    PROP_SLOTS( X, I ) \
    X( I, Advise, (obj, 0, NULL, fnevNewMail, NULL, (void *)&out_conn) ) \
    X( I, Unadvise, (obj, 1) ) \
    X( I, CompareEntryIDs, (obj, entry_size, entry, entry_size, entry, 0, &out_ulong) ) \
    X( I, OpenEntry, (obj, entry_size, entry, NULL, 0, &out_type, &out_unk) ) \
    X( I, SetReceiveFolder, (obj, message_class, 0, entry_size, entry) ) \
    X( I, GetReceiveFolder, (obj, message_class, 0, &out_ulong, &out_entry, &out_string) ) \
    X( I, GetReceiveFolderTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, StoreLogoff, (obj, &out_ulong2) ) \
    X( I, AbortSubmit, (obj, entry_size, entry, 0) ) \
    X( I, GetOutgoingQueue, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, SetLockState, (obj, NULL, MSG_LOCKED) ) \
    X( I, FinishedMsg, (obj, 0, entry_size, entry) ) \
    X( I, NotifyNewMail, (obj, NULL) )

#define MESSAGE_SLOTS( X, I ) \
    PROP_SLOTS( X, I ) \
    X( I, GetAttachmentTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, OpenAttach, (obj, 0, NULL, 0, (IAttach **)&out_unk) ) \
    X( I, CreateAttach, (obj, NULL, 0, &out_ulong, (IAttach **)&out_unk) ) \
    X( I, DeleteAttach, (obj, 0, 0, NULL, 0) ) \
    X( I, GetRecipientTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, ModifyRecipients, (obj, 0, NULL) ) \
    X( I, SubmitMessage, (obj, 0) ) \
    X( I, SetReadFlag, (obj, 0) )

#define ATTACH_SLOTS( X, I ) \
    PROP_SLOTS( X, I )

#define PROFSECT_SLOTS( X, I ) \
    PROP_SLOTS( X, I )

#define STATUS_SLOTS( X, I ) \
    PROP_SLOTS( X, I ) \
    X( I, ValidateState, (obj, 0, 0) ) \
    X( I, SettingsDialog, (obj, 0, 0) ) \
    X( I, ChangePassword, (obj, (WCHAR *)L"", (WCHAR *)L"new", MAPI_UNICODE) ) \
    X( I, FlushQueues, (obj, 0, 0, NULL, 0) )

#define TABLE_SLOTS( X, I ) \
    X( I, GetLastError, (obj, MAPI_E_CALL_FAILED, 0, &out_error) ) \
    X( I, Advise, (obj, fnevTableModified, NULL, (void *)&out_conn) ) \
    X( I, Unadvise, (obj, 1) ) \
    X( I, GetStatus, (obj, &out_ulong, &out_ulong2) ) \
    X( I, SetColumns, (obj, (SPropTagArray *)&one_tag, 0) ) \
    X( I, QueryColumns, (obj, 0, &out_tags) ) \
    X( I, GetRowCount, (obj, 0, &out_ulong) ) \
    X( I, SeekRow, (obj, BOOKMARK_BEGINNING, 1, &out_long) ) \
    X( I, SeekRowApprox, (obj, 1, 2) ) \
    X( I, QueryPosition, (obj, &out_ulong, &out_ulong2, &out_ulong) ) \
    X( I, FindRow, (obj, &exist_res, BOOKMARK_BEGINNING, 0) ) \
    X( I, Restrict, (obj, &exist_res, 0) ) \
    X( I, CreateBookmark, (obj, &out_bookmark) ) \
    X( I, FreeBookmark, (obj, BOOKMARK_CURRENT) ) \
    X( I, SortTable, (obj, (SSortOrderSet *)&sort_order, 0) ) \
    X( I, QuerySortOrder, (obj, &out_sort) ) \
    X( I, QueryRows, (obj, 10, 0, &out_rows) ) \
    X( I, Abort, (obj) ) \
    X( I, ExpandRow, (obj, sizeof(key), key, 10, 0, &out_rows, &out_ulong) ) \
    X( I, CollapseRow, (obj, sizeof(key), key, 0, &out_ulong) ) \
    X( I, WaitForCompletion, (obj, 0, 100, &out_ulong) ) \
    X( I, GetCollapseState, (obj, 0, sizeof(key), key, &out_ulong, &out_bytes) ) \
    X( I, SetCollapseState, (obj, 0, sizeof(key), key, &out_bookmark) )

#define STREAM_SLOTS( X, I ) \
    X( I, Read, (obj, buffer, sizeof(buffer), &out_ulong) ) \
    X( I, Write, (obj, buffer, sizeof(buffer), &out_ulong) ) \
    X( I, Seek, (obj, (LARGE_INTEGER){ .QuadPart = 0 }, STREAM_SEEK_SET, &out_ularge) ) \
    X( I, SetSize, (obj, (ULARGE_INTEGER){ .QuadPart = 4 }) ) \
    X( I, CopyTo, (obj, NULL, (ULARGE_INTEGER){ .QuadPart = 4 }, &out_ularge, &out_ularge2) ) \
    X( I, Commit, (obj, STGC_DEFAULT) ) \
    X( I, Revert, (obj) ) \
    X( I, LockRegion, (obj, (ULARGE_INTEGER){ .QuadPart = 0 }, (ULARGE_INTEGER){ .QuadPart = 4 }, LOCK_WRITE) ) \
    X( I, UnlockRegion, (obj, (ULARGE_INTEGER){ .QuadPart = 0 }, (ULARGE_INTEGER){ .QuadPart = 4 }, LOCK_WRITE) ) \
    X( I, Stat, (obj, &out_stat, STATFLAG_NONAME) ) \
    X( I, Clone, (obj, (IStream **)&out_unk) )

#define SESSION_SLOTS( X, I ) \
    X( I, GetLastError, (obj, MAPI_E_CALL_FAILED, 0, &out_error) ) \
    X( I, GetMsgStoresTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, OpenMsgStore, (obj, 0, entry_size, entry, NULL, MDB_NO_DIALOG, (IMsgStore **)&out_unk) ) \
    X( I, OpenAddressBook, (obj, 0, NULL, 0, (IAddrBook **)&out_unk) ) \
    X( I, OpenProfileSection, (obj, NULL, NULL, 0, (IProfSect **)&out_unk) ) \
    X( I, GetStatusTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, OpenEntry, (obj, entry_size, entry, NULL, 0, &out_type, &out_unk) ) \
    X( I, CompareEntryIDs, (obj, entry_size, entry, entry_size, entry, 0, &out_ulong) ) \
    X( I, Advise, (obj, 0, NULL, fnevNewMail, NULL, (void *)&out_conn) ) \
    X( I, Unadvise, (obj, 1) ) \
    X( I, MessageOptions, (obj, 0, 0, (char *)"SMTP", NULL) ) \
    X( I, QueryDefaultMessageOpt, (obj, (char *)"SMTP", 0, &out_ulong, &out_props) ) \
    X( I, EnumAdrTypes, (obj, 0, &out_ulong, &out_strings) ) \
    X( I, QueryIdentity, (obj, &out_ulong, &out_entry) ) \
    X( I, Logoff, (obj, 0, 0, 0) ) \
    X( I, SetDefaultStore, (obj, MAPI_DEFAULT_STORE, entry_size, entry) ) \
    X( I, AdminServices, (obj, 0, (IMsgServiceAdmin **)&out_unk) ) \
    X( I, ShowForm, (obj, 0, NULL, NULL, NULL, 0, NULL, 0, 0, 0, 0, message_class) ) \
    X( I, PrepareForm, (obj, NULL, NULL, &out_ulong) )

#define SERVICE_ADMIN_SLOTS( X, I ) \
    X( I, GetLastError, (obj, MAPI_E_CALL_FAILED, 0, &out_error) ) \
    X( I, GetMsgServiceTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, CreateMsgService, (obj, (WCHAR *)"MSUPST MS", (WCHAR *)"after logoff", 0, 0) ) \
    X( I, DeleteMsgService, (obj, &some_uid) ) \
    X( I, CopyMsgService, (obj, &some_uid, NULL, NULL, NULL, NULL, 0, 0) ) \
    X( I, RenameMsgService, (obj, &some_uid, 0, (WCHAR *)"renamed") ) \
    X( I, ConfigureMsgService, (obj, &some_uid, 0, 0, 1, &one_prop) ) \
    X( I, OpenProfileSection, (obj, &some_uid, NULL, 0, (IProfSect **)&out_unk) ) \
    X( I, MsgServiceTransportOrder, (obj, 1, &some_uid, 0) ) \
    X( I, AdminProviders, (obj, &some_uid, 0, (IProviderAdmin **)&out_unk) ) \
    X( I, SetPrimaryIdentity, (obj, &some_uid, 0) ) \
    X( I, GetProviderTable, (obj, 0, (IMAPITable **)&out_unk) )

#define PROVIDER_ADMIN_SLOTS( X, I ) \
    X( I, GetLastError, (obj, MAPI_E_CALL_FAILED, 0, &out_error) ) \
    X( I, GetProviderTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, CreateProvider, (obj, (WCHAR *)"MSUPST MS", 0, NULL, 0, 0, &some_uid) ) \
    X( I, DeleteProvider, (obj, &some_uid) ) \
    X( I, OpenProfileSection, (obj, &some_uid, NULL, 0, (IProfSect **)&out_unk) )

#define PROF_ADMIN_SLOTS( X, I ) \
    X( I, GetLastError, (obj, MAPI_E_CALL_FAILED, 0, &out_error) ) \
    X( I, GetProfileTable, (obj, 0, (IMAPITable **)&out_unk) ) \
    X( I, CreateProfile, (obj, (WCHAR *)"after logoff 2", NULL, 0, 0) ) \
    X( I, DeleteProfile, (obj, (WCHAR *)"after logoff 2", 0) ) \
    X( I, ChangeProfilePassword, (obj, (WCHAR *)"after logoff 2", NULL, NULL, 0) ) \
    X( I, CopyProfile, (obj, (WCHAR *)"after logoff 2", NULL, (WCHAR *)"after logoff 3", 0, 0) ) \
    X( I, RenameProfile, (obj, (WCHAR *)"after logoff 2", NULL, (WCHAR *)"after logoff 3", 0, 0) ) \
    X( I, SetDefaultProfile, (obj, (WCHAR *)"after logoff 2", 0) ) \
    X( I, AdminServices, (obj, (WCHAR *)"after logoff 2", NULL, 0, 0, (IMsgServiceAdmin **)&out_unk) )

#define DEFINE_TABLE( slots_macro, iface, expected ) \
    slots_macro( THUNK, iface ) \
    static const struct slot iface##_slots[] = \
    { \
        UNKNOWN_ENTRIES( iface ) \
        slots_macro( ENTRY, iface ) \
    }; \
    static const struct iface_table iface##_table = \
    { \
        #iface, sizeof(iface##Vtbl) / sizeof(void *), iface##_slots, ARRAY_SIZE(iface##_slots), expected \
    };

DEFINE_TABLE( SESSION_SLOTS, IMAPISession, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( STORE_SLOTS, IMsgStore, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( FOLDER_SLOTS, IMAPIFolder, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( MESSAGE_SLOTS, IMessage, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( ATTACH_SLOTS, IAttach, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( TABLE_SLOTS, IMAPITable, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( STREAM_SLOTS, IStream, STG_E_REVERTED )
DEFINE_TABLE( PROFSECT_SLOTS, IProfSect, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( STATUS_SLOTS, IMAPIStatus, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( SERVICE_ADMIN_SLOTS, IMsgServiceAdmin, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( PROVIDER_ADMIN_SLOTS, IProviderAdmin, MAPI_E_INVALID_OBJECT )
DEFINE_TABLE( PROF_ADMIN_SLOTS, IProfAdmin, MAPI_E_INVALID_OBJECT )

static const struct iface_table *all_tables[] =
{
    &IMAPISession_table, &IMsgStore_table, &IMAPIFolder_table, &IMessage_table, &IAttach_table,
    &IMAPITable_table, &IStream_table, &IProfSect_table, &IMAPIStatus_table, &IMsgServiceAdmin_table,
    &IProviderAdmin_table, &IProfAdmin_table,
};

/* the answer a slot must give on a dead object */
static HRESULT expected_result( const struct iface_table *table, const struct slot *slot )
{
    if (slot->call == call_QueryInterface || slot->call == call_AddRef) return S_OK;
    /* Q4: a repeated Logoff succeeds and does nothing */
    if (table == &IMAPISession_table && slot->call == call_IMAPISession_Logoff) return S_OK;
    return table->expect;
}

/* every slot of every vtable exactly once */
static void test_tables(void)
{
    unsigned int i, j, seen[64];

    for (i = 0; i < ARRAY_SIZE(all_tables); i++)
    {
        const struct iface_table *table = all_tables[i];

        ok( table->vtbl_slots <= ARRAY_SIZE(seen), "%s: %u slots.\n", table->name, table->vtbl_slots );
        ok( table->count == table->vtbl_slots, "%s: table has %u of %u slots.\n",
            table->name, table->count, table->vtbl_slots );
        memset( seen, 0, sizeof(seen) );
        for (j = 0; j < table->count; j++)
            if (table->slots[j].index < ARRAY_SIZE(seen)) seen[table->slots[j].index]++;
        for (j = 0; j < table->vtbl_slots && j < ARRAY_SIZE(seen); j++)
            ok( seen[j] == 1, "%s: slot %u covered %u times.\n", table->name, j, seen[j] );
    }
}

enum side { SESSION_SIDE = 1, STORE_SIDE = 2, GLOBAL_SIDE = 4 };

struct held
{
    const char *what;
    const struct iface_table *table;
    enum side side;
    IUnknown *obj;
};

#define MAX_HELD 24
static struct held held[MAX_HELD];
static unsigned int held_count;
static unsigned int matrix_calls;

static void hold( const char *what, const struct iface_table *table, enum side side, void *obj )
{
    ok( obj != NULL, "no %s to hold.\n", what );
    if (!obj || held_count == MAX_HELD) return;
    held[held_count].what = what;
    held[held_count].table = table;
    held[held_count].side = side;
    held[held_count].obj = obj;
    held_count++;
}

/* the entry ID in column PR_ENTRYID of the first row whose match_tag
 * column equals the string (any row when match is NULL) */
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
            if (winetest_debug > 1)
                trace( "row %lu props, %#lx %#lx.\n", rows->aRow[i].cValues, rows->aRow[i].lpProps[0].ulPropTag, rows->aRow[i].cValues > 1 ? rows->aRow[i].lpProps[1].ulPropTag : 0 );
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

/* The PR_ENTRYID of the status table's row with RESOURCE_TYPE. */
static BOOL find_status_row( IMAPITable *table, ULONG resource_type, BYTE *out, ULONG *size )
{
    static const SizedSPropTagArray(2, columns) = { 2, { PR_ENTRYID, PR_RESOURCE_TYPE } };
    const SPropValue *id, *type;
    SRowSet *rows;
    BOOL found = FALSE;
    ULONG i;

    if (FAILED(IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 ))) return FALSE;
    while (!found && SUCCEEDED(IMAPITable_QueryRows( table, 20, 0, &rows )) && rows->cRows)
    {
        for (i = 0; i < rows->cRows && !found; i++)
        {
            id = row_prop( &rows->aRow[i], PR_ENTRYID );
            type = row_prop( &rows->aRow[i], PR_RESOURCE_TYPE );
            if (!id || id->Value.bin.cb > 256 || !type || type->Value.l != resource_type) continue;
            memcpy( out, id->Value.bin.lpb, id->Value.bin.cb );
            *size = id->Value.bin.cb;
            found = TRUE;
        }
        free_rows( rows );
    }
    return found;
}

static BOOL create_profile(void)
{
    IMsgServiceAdmin *admin;
    IProfAdmin *profiles;
    SPropValue prop;
    MAPIUID uid;
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
    if (find_service( admin, &uid ))
    {
        prop.ulPropTag = PR_PST_PATH_W;
        prop.Value.lpszW = pst_path;
        hr = IMsgServiceAdmin_ConfigureMsgService( admin, &uid, 0, 0, 1, &prop );
        ok( hr == S_OK, "ConfigureMsgService returned %#lx.\n", hr );
    }
    else hr = E_FAIL;
    IMsgServiceAdmin_Release( admin );
    return hr == S_OK;
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

static void *open_entry( IMsgStore *store, BYTE *id, ULONG size, const GUID *iid )
{
    IUnknown *unk = NULL;
    ULONG type;
    HRESULT hr;

    hr = IMsgStore_OpenEntry( store, size, (ENTRYID *)id, iid, 0, &type, &unk );
    ok( hr == S_OK, "OpenEntry returned %#lx.\n", hr );
    return SUCCEEDED(hr) ? unk : NULL;
}

/* Opens one of every object, session side and store side.  Returns the
 * store (held too). */
static IMsgStore *open_everything( IMAPISession *session )
{
    IMAPITable *table = NULL, *hierarchy = NULL, *contents = NULL;
    IMsgServiceAdmin *admin = NULL;
    IProviderAdmin *provider_admin = NULL;
    IMAPIFolder *root = NULL, *folder = NULL;
    IMessage *message = NULL, *embedded = NULL;
    IProfSect *section = NULL;
    IAttach *attach = NULL;
    IMsgStore *store = NULL;
    IUnknown *unk = NULL;
    ULONG size = 0, type = 0, attach_num = 0;
    SRowSet *rows;
    BYTE id[256];
    MAPIUID uid;
    HRESULT hr;

    held_count = 0;
    hold( "session", &IMAPISession_table, SESSION_SIDE, session );

    /* session side */
    hr = IMAPISession_GetMsgStoresTable( session, 0, &table );
    ok( hr == S_OK, "GetMsgStoresTable returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        ok( find_row( table, PR_DISPLAY_NAME_W, NULL, entry_bytes, &entry_size ), "no store row.\n" );
        entry_bin.cb = entry_size;
        hold( "message stores table", &IMAPITable_table, SESSION_SIDE, table );
    }
    if (IMAPISession_GetStatusTable( session, 0, &table ) == S_OK)
        hold( "status table", &IMAPITable_table, SESSION_SIDE, table );
    hr = IMAPISession_AdminServices( session, 0, &admin );
    ok( hr == S_OK, "AdminServices returned %#lx.\n", hr );
    if (hr == S_OK)
    {
        hold( "service admin", &IMsgServiceAdmin_table, SESSION_SIDE, admin );
        hr = IMsgServiceAdmin_GetMsgServiceTable( admin, 0, &table );
        ok( hr == S_OK, "GetMsgServiceTable returned %#lx.\n", hr );
        if (hr == S_OK) hold( "service table", &IMAPITable_table, SESSION_SIDE, table );
        if (find_service( admin, &uid ))
        {
            hr = IMAPISession_OpenProfileSection( session, &uid, NULL, 0, &section );
            ok( hr == S_OK, "OpenProfileSection returned %#lx.\n", hr );
            if (hr == S_OK) hold( "profile section", &IProfSect_table, SESSION_SIDE, section );
            hr = IMsgServiceAdmin_AdminProviders( admin, &uid, 0, &provider_admin );
            ok( hr == S_OK, "AdminProviders returned %#lx.\n", hr );
            if (hr == S_OK)
            {
                hold( "provider admin", &IProviderAdmin_table, SESSION_SIDE, provider_admin );
                if (IProviderAdmin_GetProviderTable( provider_admin, 0, &table ) == S_OK)
                    hold( "provider table", &IMAPITable_table, SESSION_SIDE, table );
            }
        }
    }

    /* store side */
    hr = IMAPISession_OpenMsgStore( session, 0, entry_size, entry, NULL, MDB_NO_DIALOG | MDB_WRITE, &store );
    ok( hr == S_OK, "OpenMsgStore returned %#lx.\n", hr );
    if (FAILED(hr)) return NULL;
    hold( "store", &IMsgStore_table, STORE_SIDE, store );
    /* the store's status object: MAPI opens it through IMSLogon::OpenStatusEntry */
    if (IMAPISession_GetStatusTable( session, 0, &table ) == S_OK)
    {
        ok( find_status_row( table, MAPI_STORE_PROVIDER, id, &size ), "no status row of the store.\n" );
        hr = IMAPISession_OpenEntry( session, size, (ENTRYID *)id, NULL, 0, &type, &unk );
        ok( hr == S_OK && type == MAPI_STATUS, "OpenEntry(status) returned %#lx, type %lu.\n", hr, type );
        if (hr == S_OK) hold( "store status", &IMAPIStatus_table, STORE_SIDE, unk );
        unk = NULL;
        IMAPITable_Release( table );
    }
    if (!(root = open_entry( store, NULL, 0, NULL ))) return store;
    hold( "root folder", &IMAPIFolder_table, STORE_SIDE, root );
    hr = IMAPIFolder_GetHierarchyTable( root, CONVENIENT_DEPTH | MAPI_UNICODE, &hierarchy );
    ok( hr == S_OK, "GetHierarchyTable returned %#lx.\n", hr );
    if (FAILED(hr)) return store;
    hold( "hierarchy table", &IMAPITable_table, STORE_SIDE, hierarchy );
    /* pstsdk_submessage.pst, read with pstwalk and pypff: folder
     * "submessage" holds one message with one embedded message attached */
    ok( find_row( hierarchy, PR_DISPLAY_NAME_W, L"submessage", id, &size ), "no folder submessage.\n" );
    if (!(folder = open_entry( store, id, size, NULL ))) return store;
    hold( "folder", &IMAPIFolder_table, STORE_SIDE, folder );
    hr = IMAPIFolder_GetContentsTable( folder, MAPI_UNICODE, &contents );
    ok( hr == S_OK, "GetContentsTable returned %#lx.\n", hr );
    if (FAILED(hr)) return store;
    hold( "contents table", &IMAPITable_table, STORE_SIDE, contents );
    ok( find_row( contents, PR_SUBJECT_W, NULL, id, &size ), "no message.\n" );
    if (!(message = open_entry( store, id, size, NULL ))) return store;
    hold( "message", &IMessage_table, STORE_SIDE, message );
    if (IMessage_GetRecipientTable( message, 0, &table ) == S_OK)
        hold( "recipient table", &IMAPITable_table, STORE_SIDE, table );
    if (IMessage_GetAttachmentTable( message, 0, &table ) == S_OK)
    {
        static const SizedSPropTagArray(1, columns) = { 1, { PR_ATTACH_NUM } };

        if (SUCCEEDED(IMAPITable_SetColumns( table, (SPropTagArray *)&columns, 0 ))
                && SUCCEEDED(IMAPITable_QueryRows( table, 1, 0, &rows )))
        {
            if (rows->cRows && rows->aRow[0].lpProps[0].ulPropTag == PR_ATTACH_NUM)
                attach_num = rows->aRow[0].lpProps[0].Value.l;
            free_rows( rows );
        }
        hold( "attachment table", &IMAPITable_table, STORE_SIDE, table );
    }
    hr = IMessage_OpenProperty( message, PR_SUBJECT_W, &iid_stream, 0, 0, &unk );
    ok( hr == S_OK, "OpenProperty(IStream) returned %#lx.\n", hr );
    if (hr == S_OK) hold( "stream", &IStream_table, STORE_SIDE, unk );
    hr = IMessage_OpenAttach( message, attach_num, NULL, 0, &attach );
    ok( hr == S_OK, "OpenAttach returned %#lx.\n", hr );
    if (hr != S_OK) return store;
    hold( "attachment", &IAttach_table, STORE_SIDE, attach );
    hr = IAttach_OpenProperty( attach, PR_ATTACH_DATA_OBJ, &iid_message, 0, 0, (IUnknown **)&embedded );
    ok( hr == S_OK, "OpenProperty(PR_ATTACH_DATA_OBJ) returned %#lx.\n", hr );
    if (hr == S_OK) hold( "embedded message", &IMessage_table, STORE_SIDE, embedded );
    return store;
}

/* what a wrongly succeeding call handed out, so that the leak check
 * below measures the objects' own memory */
static void free_outputs(void)
{
    void **buffers[] = { (void **)&out_props, (void **)&out_tags, (void **)&out_problems, (void **)&out_error,
                         (void **)&out_names, (void **)&out_res, (void **)&out_list, (void **)&out_sort,
                         (void **)&out_bytes, (void **)&out_entry, (void **)&out_string, (void **)&out_strings };
    unsigned int i;

    if (out_unk) IUnknown_Release( out_unk );
    out_unk = NULL;
    if (out_rows) free_rows( out_rows );
    out_rows = NULL;
    for (i = 0; i < ARRAY_SIZE(buffers); i++)
    {
        if (*buffers[i]) pMAPIFreeBuffer( *buffers[i] );
        *buffers[i] = NULL;
    }
}

/* the whole table on every held object of the given sides */
static void run_matrix( const char *scenario, unsigned int sides )
{
    unsigned int i, j;
    HRESULT hr, expect;

    for (i = 0; i < held_count; i++)
    {
        const struct iface_table *table = held[i].table;

        if (!held[i].obj || !(held[i].side & sides)) continue;
        for (j = 0; j < table->count; j++)
        {
            hr = table->slots[j].call( held[i].obj );
            expect = expected_result( table, &table->slots[j] );
            ok( hr == expect, "%s: %s (%s) %s::%s returned %#lx, expected %#lx.\n", scenario,
                held[i].what, table->name, table->name, table->slots[j].name, hr, expect );
            free_outputs();
            matrix_calls++;
        }
    }
}

static void release_held( unsigned int sides )
{
    unsigned int i;
    ULONG ref;

    for (i = held_count; i-- > 0;)
    {
        if (!held[i].obj || !(held[i].side & sides)) continue;
        ref = IUnknown_Release( held[i].obj );
        ok( !ref, "%s: Release returned %lu.\n", held[i].what, ref );
        held[i].obj = NULL;
    }
}

static void check_freed( const char *scenario, LONG buffers )
{
    HMODULE winepst = GetModuleHandleA( "winepst.dll" );
    HRESULT (WINAPI *can_unload)(void);

    if (pMAPIXGetLiveBuffers)
        ok( pMAPIXGetLiveBuffers() == buffers, "%s: %ld MAPI buffers alive, %ld before.\n",
            scenario, pMAPIXGetLiveBuffers(), buffers );
    if (winepst && (can_unload = (void *)GetProcAddress( winepst, "DllCanUnloadNow" )))
        ok( can_unload() == S_OK, "%s: winepst has objects alive.\n", scenario );
}

static LONG live_buffers(void)
{
    return pMAPIXGetLiveBuffers ? pMAPIXGetLiveBuffers() : 0;
}

/* IMSLogon::Logoff, as IMAPISession::Logoff drives it with store objects
 * held: everything the store gave out is dead; released before the session */
static void test_mslogon_logoff(void)
{
    IMAPISession *session;
    LONG buffers = live_buffers();
    HRESULT hr;

    if (!(session = logon())) return;
    open_everything( session );
    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    run_matrix( "IMSLogon::Logoff", STORE_SIDE );
    release_held( STORE_SIDE );
    release_held( SESSION_SIDE );
    check_freed( "IMSLogon::Logoff", buffers );
}

/* StoreLogoff, then the store's Release, with its children still held */
static void test_store_logoff(void)
{
    IMAPISession *session;
    IMsgStore *store;
    LONG buffers = live_buffers();
    unsigned int i;
    ULONG flags, ref;
    HRESULT hr;

    if (!(session = logon())) return;
    if ((store = open_everything( session )))
    {
        flags = LOGOFF_NO_WAIT;
        hr = IMsgStore_StoreLogoff( store, &flags );
        ok( hr == S_OK, "StoreLogoff returned %#lx.\n", hr );
        for (i = 0; i < held_count; i++)
            if (held[i].obj == (IUnknown *)store) held[i].obj = NULL;
        ref = IMsgStore_Release( store );
        ok( !ref, "store Release returned %lu.\n", ref );
        run_matrix( "StoreLogoff", STORE_SIDE );
        release_held( STORE_SIDE );
    }
    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    release_held( SESSION_SIDE );
    check_freed( "StoreLogoff", buffers );
}

/* IMAPISession::Logoff: the session and everything it gave out is dead;
 * the session goes first, its children after */
static void test_session_logoff(void)
{
    IMAPISession *session;
    LONG buffers = live_buffers();
    unsigned int i;
    ULONG ref;
    HRESULT hr;

    if (!(session = logon())) return;
    open_everything( session );
    hr = IMAPISession_Logoff( session, 0, 0, 0 );
    ok( hr == S_OK, "Logoff returned %#lx.\n", hr );
    run_matrix( "IMAPISession::Logoff", SESSION_SIDE | STORE_SIDE );
    for (i = 0; i < held_count; i++)
        if (held[i].obj == (IUnknown *)session) held[i].obj = NULL;
    ref = IMAPISession_Release( session );
    ok( !ref, "session Release returned %lu.\n", ref );
    release_held( SESSION_SIDE | STORE_SIDE );
    check_freed( "IMAPISession::Logoff", buffers );
}

/* the final MAPIUninitialize without Logoff, a profile admin object held too */
static void test_uninitialize(void)
{
    IMAPISession *session;
    IProfAdmin *profiles;
    LONG buffers = live_buffers();
    HRESULT hr;

    if (!(session = logon())) return;
    open_everything( session );
    hr = pMAPIAdminProfiles( 0, &profiles );
    ok( hr == S_OK, "MAPIAdminProfiles returned %#lx.\n", hr );
    if (hr == S_OK) hold( "profile admin", &IProfAdmin_table, GLOBAL_SIDE, profiles );
    pMAPIUninitialize();
    run_matrix( "MAPIUninitialize", SESSION_SIDE | STORE_SIDE | GLOBAL_SIDE );
    release_held( GLOBAL_SIDE | STORE_SIDE | SESSION_SIDE );
    check_freed( "MAPIUninitialize", buffers );
}

START_TEST(afterlogoff)
{
    HMODULE mapi32, winemapix;
    HRESULT hr;

    test_tables();

    if (!(mapi32 = load_mapi32())) return;
    if (!copy_sample( "pstsdk_submessage.pst", pst_path, NULL ))
    {
        skip( "no sample PST.\n" );
        return;
    }

    hr = pMAPIInitialize( NULL );
    ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    if ((winemapix = GetModuleHandleA( "winemapix.dll" )))
        pMAPIXGetLiveBuffers = (void *)GetProcAddress( winemapix, "MAPIXGetLiveBuffers" );
    ok( pMAPIXGetLiveBuffers != NULL, "MAPIXGetLiveBuffers is missing.\n" );
    if (create_profile())
    {
        test_mslogon_logoff();
        test_store_logoff();
        test_session_logoff();
        test_uninitialize();
        hr = pMAPIInitialize( NULL );
        ok( hr == S_OK, "MAPIInitialize returned %#lx.\n", hr );
    }
    delete_profile();
    pMAPIUninitialize();
    {
        unsigned int i, methods = 0;

        for (i = 0; i < ARRAY_SIZE(all_tables); i++) methods += all_tables[i]->vtbl_slots;
        trace( "use-after-logoff matrix: %u interfaces, %u methods, 4 scenarios, %u calls on dead objects.\n",
               (unsigned int)ARRAY_SIZE(all_tables), methods, matrix_calls );
    }
    DeleteFileW( pst_path );
    FreeLibrary( mapi32 );
}
