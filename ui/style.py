"""The page's CSS: readable on a phone, wide tables scroll sideways, cited cells and sentences marked."""

from __future__ import annotations

import streamlit as st

CSS = """
<style>
.block-container {max-width: 920px; padding-top: 2.2rem; padding-left: 1rem; padding-right: 1rem;}
.scroll {overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch;}
table.report-table, table.checks {border-collapse: collapse; font-size: .85rem; margin: .25rem 0 .6rem;}
.report-table th, .report-table td, .checks th, .checks td {border: 1px solid #d0d7de; padding: .2rem .45rem;}
.report-table td {text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;}
.report-table thead th {background: #f3f6fa; font-weight: 600; text-align: center; min-width: 4.2em;}
.report-table tbody th {text-align: left; font-weight: normal; min-width: 9em; max-width: 22em;}
.report-table tr.group th {background: #fafbfc; font-weight: 600;}
/* the row labels stay in view while a wide table scrolls sideways (phones) */
.report-table tbody th, .report-table th.corner {position: sticky; left: 0; z-index: 1; background: #fff;}
.report-table th.corner {background: #f3f6fa;}
.report-table tr.group th {background: #fafbfc;}
.report-table th.d1 {padding-left: 1.2rem;} .report-table th.d2 {padding-left: 2.2rem;}
.report-table td.hit {background: #fff3b0; outline: 2px solid #d4a106; outline-offset: -2px; font-weight: 700;}
/* a phone: the cited cells alone first (a cited 总计 at the end of a wide row would be off screen), the row below */
.cite-tables {display: flex; flex-direction: column;}
.cite-narrow {display: none;}
@media (max-width: 640px) {.cite-narrow {display: block; order: -1;}}
mark {background: #ffe58f; color: inherit; padding: 0 .1em; border-radius: 2px;}
.unknown {color: #a15c00; text-decoration: underline dotted; cursor: help;}
.answer {white-space: pre-wrap; line-height: 1.75; font-size: 1rem;}
.question {white-space: pre-wrap; line-height: 1.6;}
.greeting {line-height: 1.75;}
.covers {font-size: .8rem; color: #57606a; margin-top: .2rem;}
.arith {background: #eef6ff; border-radius: 4px; padding: .35rem .6rem; font-size: .9rem; margin: .3rem 0;
        font-variant-numeric: tabular-nums; white-space: pre-wrap;}
.cite {border-left: 3px solid #b71c1c; background: #f8f8f6; padding: .45rem .7rem; margin: .45rem 0;
       border-radius: 4px;}
.cite-src {font-size: .8rem; color: #57606a; margin-bottom: .25rem;}
.cite-fig {font-size: .9rem; margin-bottom: .3rem;}
.cite-quote {font-size: .9rem; margin-bottom: .3rem;}
blockquote.cite-text {margin: 0; padding: 0; border: 0; font-size: .92rem; line-height: 1.75; white-space: pre-wrap;}
.units {font-size: .75rem; color: #57606a; margin: 0;}
.cite-prov {font-size: .75rem; color: #57606a; margin-top: .3rem;}
table.staff-list {border-collapse: collapse; font-size: .78rem;}
.staff-list th, .staff-list td {border: 1px solid #d0d7de; padding: .15rem .4rem; text-align: left;
                               white-space: nowrap;}
.staff-list code {font-size: .72rem;}
table.checks td.num {text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums;}
table.checks .side {display: block; font-size: .7rem; color: #57606a;}
table.checks .kind {font-size: .7rem; color: #57606a;}
table.checks .terms {font-size: .75rem; color: #57606a; margin-top: .2rem;}
table.checks tr.row-fail {background: #ffebe9;}
table.checks tr.row-fail td.status, table.checks tr.row-fail td.num {color: #cf222e; font-weight: 700;}
table.checks tr.row-unknown {background: #fff8c5;}
table.checks tr.row-unknown td.status {color: #9a6700;}
table.checks tr.row-pass td.status {color: #1a7f37;}
td.status {white-space: nowrap;}
a.card-link {color: #0b5cad; text-decoration: none; white-space: nowrap;}
a.card-link:hover {text-decoration: underline;}
.card-figs {display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr)); gap: .5rem; margin: .3rem 0;}
.card-fig {border: 1px solid #d0d7de; border-radius: 6px; padding: .45rem .6rem; background: #fbfbfa;}
.card-k {font-size: .8rem; color: #57606a;}
.card-v {font-size: 1.35rem; font-weight: 700; font-variant-numeric: tabular-nums;}
.card-x {font-size: .8rem; font-variant-numeric: tabular-nums;}
.card-s {font-size: .7rem; color: #57606a; margin-top: .15rem;}
@media (max-width: 640px) {
  .block-container {padding-left: .6rem; padding-right: .6rem; padding-top: 1.2rem;}
  table.report-table, table.checks {font-size: .78rem;}
  .report-table tbody th {min-width: 8em;}
  .block-container h1 {font-size: 1.75rem;}
}
</style>
"""


def inject() -> None:
    """Add the CSS to the page (constant text: nothing from a report or a user goes in here)."""
    st.markdown(CSS, unsafe_allow_html=True)
