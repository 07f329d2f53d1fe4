/*
 * winemapix internal declarations shared between files
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

#ifndef __WINE_WINEMAPIX_PRIVATE_H
#define __WINE_WINEMAPIX_PRIVATE_H

#include <stdarg.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "winreg.h"
#include "objbase.h"
#include "mapidefs.h"
#include "mapicode.h"
#include "mapitags.h"
#include "mapiutil.h"
#include "mapix.h"
#include "mapispi.h"
#include "mapiadmin.h"
#include "mapiab.h"

/* main.c */
extern HINSTANCE mapix_instance;

/* alloc.c, init.c: allocators, MAPIInitialize / MAPIUninitialize */
/* Number of MAPIAllocateBuffer/MAPIAllocateMore blocks alive in the process
 * (also exported as the private test hook MAPIXGetLiveBuffers). */
extern LONG mapix_live_buffers(void);
/* TRUE between the first MAPIInitialize and the final MAPIUninitialize. */
extern BOOL mapix_is_initialized(void);
/* Registers a function the final MAPIUninitialize calls, in reverse
 * registration order.  Only the lock serialising MAPIInitialize and
 * MAPIUninitialize is held (re-entrant on the calling thread; a hook must
 * not wait for another thread calling them).  Registration is permanent
 * (it survives re-initialisation); a hook registered twice runs once. */
extern void mapix_add_uninitialize_hook( void (*hook)(void) );
/* Runs func(arg) on the MAPI_MULTITHREAD_NOTIFICATIONS thread; FALSE if there
 * is none or the caller is on it, and the caller runs it itself. */
extern BOOL mapix_notify_queue( void (*func)(void *), void *arg );
/* prop.c, util.c: property utilities and miscellaneous exports */

/* table.c, iprop.c, propval.c, advise.c: tables, property objects, sinks */
#include "propval.h"
HRESULT iprop_create(ALLOCATEBUFFER *alloc, ALLOCATEMORE *more, FREEBUFFER *free_buf, IPropData **out);
/* end of table.c section */

/* profile.c, mapisvc.c, profsect.c, msgsvc.c: profiles and services */

/* MAPI constants Wine's headers lack are in include/mapiext.h (via mapispi.h) */

/* mapisvc.c: a parsed mapisvc.inf; keys and values are trimmed, names compare case-insensitively */
struct mapisvc_entry
{
    char *key;
    char *value;
};

struct mapisvc_section
{
    char *name;
    struct mapisvc_entry *entries;
    unsigned int count;
};

struct mapisvc_inf
{
    struct mapisvc_section *sections;
    unsigned int count;
};

/* one property line converted to the bytes a profile section stores for it */
struct mapisvc_prop
{
    ULONG tag;
    BYTE *data;
    DWORD size;
};

extern HRESULT mapisvc_parse( const char *data, size_t size, struct mapisvc_inf **inf );
extern HRESULT mapisvc_load( struct mapisvc_inf **inf );
extern void mapisvc_free( struct mapisvc_inf *inf );
extern const struct mapisvc_section *mapisvc_find_section( const struct mapisvc_inf *inf, const char *name );
extern const char *mapisvc_get_value( const struct mapisvc_section *section, const char *key );
extern BOOL mapisvc_parse_prop( const char *key, const char *value, struct mapisvc_prop *prop );

/* profile.c: registry storage of profiles; a section is Profiles\<profile>\<uid as 32 hex digits>,
 * holding one REG_BINARY value per property named by its tag in 8 hex digits */
extern HRESULT profile_open( const WCHAR *profile, REGSAM access, HKEY *key );
extern HRESULT profile_get_default( WCHAR **profile );
extern HRESULT profile_section_open_key( const WCHAR *profile, const MAPIUID *uid, BOOL create, REGSAM access,
                                         HKEY *key );
extern HRESULT profile_section_write( const WCHAR *profile, const MAPIUID *uid, ULONG tag, const void *data,
                                      DWORD size );
extern HRESULT profile_section_read( const WCHAR *profile, const MAPIUID *uid, ULONG tag, BYTE **data,
                                     DWORD *size );
/* a section's values as profile_section_get_values copies them; data ends in two spare NUL WCHARs */
struct profile_value
{
    WCHAR name[9];
    DWORD size;
    BYTE *data;
};
extern HRESULT profile_section_get_values( const WCHAR *profile, const MAPIUID *uid, struct profile_value **values,
                                           unsigned int *count );
extern void profile_free_values( struct profile_value *values, unsigned int count );
/* S_OK if the profile exists */
extern HRESULT profile_check( const WCHAR *profile );
/* profile.c caches the profile in use (see there): writes to a profile made other than through
 * profile_section_write and IProfAdmin call profile_cache_changed; a pinned call reads one view of it */
extern void profile_cache_changed(void);
extern void profile_cache_pin(void);
extern void profile_cache_unpin(void);
extern void profile_cache_free(void);
extern void profile_uid_to_name( const MAPIUID *uid, WCHAR name[33] );
extern BOOL profile_name_to_uid( const WCHAR *name, MAPIUID *uid );
extern void profile_new_uid( MAPIUID *uid );

struct profile_provider
{
    MAPIUID uid;
    MAPIUID service_uid;
    ULONG resource_type;
    ULONG resource_flags;
    char *dll_name;
};

/* resource_type 0 lists every provider; free with profile_free_providers */
extern HRESULT profile_enum_providers( const WCHAR *profile, ULONG resource_type,
                                       struct profile_provider **providers, unsigned int *count );
extern void profile_free_providers( struct profile_provider *providers, unsigned int count );

/* profsect.c, msgsvc.c: owner is the liveness (liveness.c) of the handed-out object, NULL for internal ones */
struct liveness;
/* profsect.c */
extern HRESULT profsect_create( struct liveness *owner, const WCHAR *profile, const MAPIUID *uid, ULONG flags,
                                IProfSect **out );

/* msgsvc.c */
extern HRESULT msgsvc_admin_create( struct liveness *owner, const WCHAR *profile, IMsgServiceAdmin **out );

/* session.c, support.c, provider.c: sessions, support objects, providers */
/* Keeps open sessions' message store tables in step with profile edits. */
extern void session_profile_changed( const WCHAR *profile );
/* Loads a provider or service DLL registered as NAME (R1.12). */
extern HMODULE provider_load_library( const char *name );
/* R4.10: the life of one store logon as MAPI sees it */
enum store_logon_state
{
    STORE_LOGON_ACTIVE,
    STORE_LOGON_LOGGING_OFF,
    STORE_LOGON_LOGGED_OFF,
    STORE_LOGON_RELEASED,
};

struct provider_module;
struct mapi_support;

/* one IMSProvider, per session and provider DLL (R1.10) */
struct store_provider
{
    struct store_provider *next;
    struct provider_module *module;
    IMSProvider *provider;
    struct store_logon *logons;
};

/* one successful IMSProvider::Logon that returned an IMSLogon */
struct store_logon
{
    struct store_logon *next;
    struct store_provider *provider;
    enum store_logon_state state;
    IMSLogon *logon;
    struct mapi_support *support;
    MAPIUID *uids;
    unsigned int uid_count;
    BOOL holds_support;
};

/* provider.c */
extern HRESULT store_provider_open( struct store_provider **providers, const char *dll_name,
                                    struct store_provider **out );
/* section: the provider's profile section, or NULL for a store known only by its wrapped ID;
 * status: the session's status tables, which the support object's ModifyStatusRow fills */
extern HRESULT store_provider_logon( struct store_provider **providers, struct store_provider *provider,
                                     const WCHAR *profile, const MAPIUID *section, ITableData **status,
                                     ULONG_PTR ui_param, ULONG entry_size, ENTRYID *entry, ULONG flags,
                                     const IID *iid, IMsgStore **store );
extern struct store_logon *store_logon_from_uid( struct store_provider **providers, const MAPIUID *uid );
extern struct store_logon *store_logon_from_status_row( struct store_provider **providers, const MAPIUID *row_key );
extern void store_providers_shutdown( struct store_provider **providers );
extern void store_logon_support_released( struct store_logon *logon );
extern void provider_module_addref( struct provider_module *module );
extern void provider_module_release( struct provider_module *module );
extern void provider_modules_unload( void );

/* support.c */
extern HRESULT support_create( struct store_logon *logon, const char *dll_name, const WCHAR *profile,
                               const MAPIUID *section, ITableData **status, IMAPISupport **out );
extern void support_detach( struct mapi_support *support );
extern BOOL support_owns_status_row( struct mapi_support *support, const MAPIUID *row_key );

/* entryid.c */
/* A wrapped ID with WRAP_FLAG_SECTION holds a profile section UID instead of a
 * provider's ID: the entry MAPI makes for a store whose provider has not yet
 * written a PR_ENTRYID to its profile section. */
#define WRAP_FLAG_SECTION 0x01
extern HRESULT wrap_store_entryid( const char *dll_name, BYTE wrap_flags, ULONG size, ENTRYID *entry,
                                   ULONG *wrapped_size, ENTRYID **wrapped );
extern HRESULT unwrap_store_entryid( ULONG size, ENTRYID *entry, char **dll_name, ULONG *inner_size,
                                     ENTRYID **inner );
extern BYTE store_entryid_wrap_flags( const ENTRYID *wrapped );
extern HRESULT one_off_create( const WCHAR *name, const WCHAR *type, const WCHAR *address, BOOL unicode,
                               BOOL no_rich_info, ULONG *size, ENTRYID **entry );
extern BOOL is_one_off( ULONG size, const ENTRYID *entry );
/* the strings come back wide, each to be freed */
extern HRESULT one_off_parse( ULONG size, const ENTRYID *entry, WCHAR *strings[3], WORD *flags );
/* The PR_ENTRYID of a row of the session's status table.  IMSLogon::OpenStatusEntry
 * takes no entry ID, so the ID names the row and MAPI finds the logon that made it. */
struct status_entryid
{
    BYTE flags[4];
    MAPIUID uid;        /* status_entryid_uid */
    MAPIUID row_key;    /* the row's PR_INSTANCE_KEY */
};
extern void status_entryid_init( struct status_entryid *id, const MAPIUID *row_key );
extern BOOL status_entryid_parse( ULONG size, const ENTRYID *entry, MAPIUID *row_key );

/* session.c: the message store and status tables are kept twice, [0] with
 * PT_STRING8 and [1] with PT_UNICODE strings; a row set here goes to both */
extern HRESULT session_tables_set_row( ITableData **tables, const SPropValue *props, ULONG count );
extern HRESULT session_tables_merge_row( ITableData **tables, const SPropValue *key, const SPropValue *props,
                                         ULONG count );
extern void session_tables_delete_row( ITableData **tables, const SPropValue *key );

/* addrbook.c: the integrated address book; it dies when its owner (a
 * session or a support object) calls addrbook_owner_ended */
extern HRESULT addrbook_create( const void *owner, const IID *iid, IAddrBook **out );
extern void addrbook_owner_ended( const void *owner );
/* IAddrBook::CreateOneOff and IMAPISupport::CreateOneOff */
extern HRESULT addrbook_create_one_off( const WCHAR *name, const WCHAR *type, const WCHAR *address, ULONG flags,
                                        ULONG *entry_size, ENTRYID **entry );
/* end of addrbook.c section */

/* liveness.c: whether the owner of a handed-out object still lives.
 * Q4, R6.5, (d): what a session gave out dies at its Logoff (each client
 * of a shared session has its own), and what MAPIAdminProfiles gave out
 * dies at the final MAPIUninitialize (liveness_process).  Objects hold a
 * reference, answer MAPI_E_INVALID_OBJECT from every method but AddRef
 * and Release once liveness_dead, and are freed at their last Release.
 * A NULL liveness never dies (internal objects).  IMAPITable views get it
 * through table_data_get_view, a hook in table.c's own views rather than
 * a forwarding wrapper; the IAddrBook and its containers use one per
 * address book, killed by addrbook_owner_ended. */
#include <stdlib.h>
struct liveness
{
    LONG refcount;
    LONG dead;
};
/* inline, because winepst builds table.c too (PARENTSRC) without liveness.c */
static inline void liveness_addref( struct liveness *liveness )
{
    if (liveness) InterlockedIncrement( &liveness->refcount );
}
static inline void liveness_release( struct liveness *liveness )
{
    if (liveness && !InterlockedDecrement( &liveness->refcount )) free( liveness );
}
static inline void liveness_kill( struct liveness *liveness )
{
    if (liveness) InterlockedExchange( &liveness->dead, TRUE );
}
static inline BOOL liveness_dead( struct liveness *liveness )
{
    return liveness && ReadNoFence( &liveness->dead );
}
extern struct liveness *liveness_create(void);
/* a new reference to the process-wide liveness, NULL when out of memory */
extern struct liveness *liveness_process(void);
/* table.c: a view of a table data object made by CreateTable, dead with owner */
extern HRESULT table_data_get_view( ITableData *data, struct liveness *owner, IMAPITable **out );
/* end of liveness.c section */

/* support.c copy section */
/* the session's store providers list, which support_OpenEntry routes through */
extern void support_set_providers( struct mapi_support *support, struct store_provider **providers );
/* end of support.c copy section */

#endif /* __WINE_WINEMAPIX_PRIVATE_H */
