/*
 * Harness self-test: one line of every kind, compared character for
 * character with Wine 8.0's output by selftest.sh.
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

#include "wine/test.h"

START_TEST(formats)
{
    ok(0, "plain failure %s\n", "text");
    winetest_push_context("outer %d", 1);
    winetest_push_context("inner");
    ok(0, "with context\n");
    winetest_pop_context();
    winetest_pop_context();
    todo_wine ok(0, "todo failure\n");
    todo_wine ok(1, "todo success\n");
    flaky ok(0, "flaky failure\n");
    skip("skipped %u\n", 3u);
    trace("trace %s\n", wine_dbgstr_w(L"wide"));
    win_skip("win_skip on wine\n");
    ok(broken(1) == 0, "broken() must be false on wine\n");
}
