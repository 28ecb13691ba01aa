/**
 * Library functions added after the OTP compatibility table (lists reverse
 * merges, string:chars, to_integer on improper lists, io_lib's format
 * scanning, limit_term, quote_atom, fread, proplists normalisation). Each
 * row is a call and its `~w` result as real erl (OTP 25) printed it; errors
 * are `{error, Reason}` with the reason's first element. `build_text` is
 * compared flattened (OTP's deep-list nesting is unspecified; ours is flatter).
 */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { formatW } from "../../../terms/format.ts";
import { listToArray } from "../../../terms/list.ts";
import { parseTerm } from "../../../terms/parse.ts";
import type { Term } from "../../../terms/term.ts";
import { ErlangError } from "../../../vm/index.ts";
import { TEST_TIMEOUT_MS } from "../../timeouts.ts";
import { call } from "./helpers.ts";

setDefaultTimeout(TEST_TIMEOUT_MS);

const ROWS: [string, string, string][] = [
  ["lists:rumerge", "[[5,3,1.0],[4,2,1]]", "{value,[5,4,3,2,1.0]}"],
  ["lists:rumerge3", "[[3,1],[2.0,1.0],[2,1]]", "{value,[3,2.0,1]}"],
  ["lists:umerge3", "[[2],[1.0,2.0],[1,1.0]]", "{value,[1.0,1.0,2]}"],
  ["lists:rukeymerge", "[1,[{3,a},{1,b}],[{3.0,c},{2,d}]]", "{value,[{3,a},{2,d},{1,b}]}"],
  ["lists:rukeymerge", "[1,[a],[{1}]]", "{error,badarg}"],
  ["string:chars", "[120,3]", "{value,[120,120,120]}"],
  ["string:chars", "[120,0,[116]]", "{value,[116]}"],
  ["string:chars", "[120,-1]", "{error,function_clause}"],
  ["string:chars", "[120,a]", "{error,badarith}"],
  ["string:to_integer", "[[1|2]]", "{value,{error,no_integer}}"],
  ["string:to_integer", "[[49,46,53|x]]", "{value,{1,[46,53|x]}}"],
  ["string:to_integer", "[[49,50|x]]", "{value,{error,badarg}}"],
  ["string:to_integer", "[[97|x]]", "{value,{error,badarg}}"],
  ["string:to_integer", "[[128|x]]", "{value,{error,no_integer}}"],
  ["string:to_float", "[[49,46,53,101|x]]", "{value,{error,badarg}}"],
  ["string:to_float", "[[49,46,53,101,49,10|x]]", "{value,{15.0,[10|x]}}"],
  ["string:to_float", "[[-1]]", "{value,{error,no_float}}"],
  ["io_lib:format", "[[126,99,126,51,99,126,116,99],[-1,321,97]]", "{value,[255,65,65,65,97]}"],
  ["io_lib:write_latin1_char", "[229]", "{value,[36,229]}"],
  ["io_lib:write_latin1_char", "[32]", "{value,[36,32]}"],
  ["io_lib:write_latin1_char", "[159]", "{value,[36,92,50,51,55]}"],
  ["io_lib:write_latin1_char", "[300]", "{error,function_clause}"],
  ["io_lib:quote_atom", "[x,[97,110,100]]", "{value,false}"],
  ["io_lib:quote_atom", "['and',[97,110,100]]", "{value,true}"],
  ["io_lib:quote_atom", "[x,[97,66,57,95,64]]", "{value,false}"],
  ["io_lib:quote_atom", "[x,[95,97]]", "{value,true}"],
  ["io_lib:quote_atom", "[x,[97|x]]", "{error,function_clause}"],
  [
    "io_lib:scan_format",
    "[[97,126,126,98,126,45,49,48,46,51,46,120,116,115,126,42,46,42,99,126,110,126,105,126,52,87],[x,5,2,97,y,z,3]]",
    "{value,[97,#{adjust => right,args => [],control_char => 126,encoding => latin1,pad_char => 32,precision => none,strings => true,width => none},98,#{adjust => left,args => [x],control_char => 115,encoding => unicode,pad_char => 120,precision => 3,strings => true,width => 10},#{adjust => right,args => [97],control_char => 99,encoding => latin1,pad_char => 32,precision => 2,strings => true,width => 5},#{adjust => right,args => [],control_char => 110,encoding => latin1,pad_char => 32,precision => none,strings => true,width => none},#{adjust => right,args => [y],control_char => 105,encoding => latin1,pad_char => 32,precision => none,strings => true,width => none},#{adjust => right,args => [z,3],control_char => 87,encoding => latin1,pad_char => 32,precision => none,strings => true,width => 4}]}",
  ],
  ["io_lib:scan_format", "[[126,119],[]]", "{error,badarg}"],
  [
    "io_lib:unscan_format",
    "[[97,#{adjust => left,args => [x],control_char => 119,encoding => unicode,pad_char => 32,precision => none,strings => false,width => 5},#{adjust => right,args => [x],control_char => 119,encoding => latin1,pad_char => 48,precision => 2,strings => true,width => none}]]",
    "{value,{[97,126,45,53,116,108,119,126,46,50,46,48,119],[x,x]}}",
  ],
  [
    "io_lib:build_text",
    "[[#{adjust => right,args => [abc],control_char => 119,encoding => latin1,pad_char => 32,precision => none,strings => true,width => 6},97,#{adjust => right,args => [122],control_char => 99,encoding => latin1,pad_char => 32,precision => none,strings => true,width => 3},#{adjust => right,args => [],control_char => 126,encoding => latin1,pad_char => 32,precision => none,strings => true,width => none}]]",
    "{value,[[[32,32,32],97,98,99],97,122,122,122,126]}",
  ],
  [
    "io_lib:build_text",
    "[[#{adjust => right,args => [1,2],control_char => 119,encoding => latin1,pad_char => 32,precision => none,strings => true,width => none}]]",
    "{error,badarg}",
  ],
  [
    "io_lib:limit_term",
    "[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20],5]",
    "{value,[1,2,3,4,'...']}",
  ],
  ["io_lib:limit_term", "[{a,{b,{c,{d}}}},3]", "{value,{a,{'...'}}}"],
  ["io_lib:limit_term", "[[1,2|3],3]", "{value,[1,2,'...']}"],
  ["io_lib:limit_term", "[[1|{a,b,c}],3]", "{value,[1|{'...'}]}"],
  ["io_lib:limit_term", "[#{a => 1,b => 2,c => 3},1]", "{value,#{a => '...',b => '...'}}"],
  [
    "io_lib:limit_term",
    "[{[97,98,99,100,101,102],<<1,2,3,4,5>>,[97,98,99|x]},3]",
    "{value,{[97,98,99,100,101,102],<<1,2,3,4,5>>,'...'}}",
  ],
  [
    "io_lib:fread",
    "[[126,100,32,126,115],[49,50,32,97,98,99,32,114,101,115,116]]",
    "{value,{ok,[12,[97,98,99]],[32,114,101,115,116]}}",
  ],
  ["io_lib:fread", "[[126,97,126,100],[120,49]]", "{value,{more,[126,100],2,[x1]}}"],
  [
    "io_lib:fread",
    "[[126,102,126,35,126,117],[49,46,53,101,51,32,49,54,35,102,103]]",
    "{value,{error,{fread,unsigned}}}",
  ],
  [
    "io_lib:fread",
    "[[126,45,126,100,126,108,126,51,99],[45,53,120,121,122]]",
    "{value,{ok,[-1,5,2,[120,121,122]],[]}}",
  ],
  ["io_lib:fread", "[[126,51,100],[32,32,49,50]]", "{value,{ok,[1],[50]}}"],
  ["io_lib:fread", "[[126,51,115],[32,97,32,98]]", "{value,{ok,[[97]],[98]}}"],
  ["io_lib:fread", "[[97,126,100],[98,53]]", "{value,{error,{fread,input}}}"],
  ["io_lib:fread", "[[126,113],[120]]", "{value,{error,{fread,format}}}"],
  ["io_lib:fread", "[[126,42,100,126,100],[49,32,50]]", "{value,{ok,[2],[]}}"],
  [
    "io_lib:fread",
    "[[],[49,50,32,97,98],[126,100,32,126,115]]",
    "{value,{more,{[126,100,32,126,115],[98,97,32,50,49],0,[]}}}",
  ],
  [
    "io_lib:fread",
    "[{[126,100,32,126,115],[98,97,32,50,49],0,[]},[99,10,114,101,115,116],[126,100,32,126,115]]",
    "{value,{done,{ok,[12,[97,98,99]]},[114,101,115,116]}}",
  ],
  [
    "io_lib:fread",
    "[{[126,100],[],4,[2,1]},eof,[126,100]]",
    "{value,{done,{error,{fread,input}},eof}}",
  ],
  [
    "proplists:substitute_negations",
    "[[{no_a,a}],[no_a,{no_a,false},{no_a,true},{no_a,5},b]]",
    "{value,[{a,false},a,{a,false},a,b]}",
  ],
  ["proplists:expand", "[[{b,[c]},{a,[b]}],[a,b]]", "{value,[b,c]}"],
  ["proplists:expand", "[[{{a,1},[x]}],[{a,true},{a,1},b]]", "{value,[a,{a,1},b]}"],
  ["proplists:expand", "[[{a,[[z],w]}],[a,[115],a]]", "{value,[[z],w,115]}"],
  [
    "proplists:normalize",
    "[[{no_b,false},{x,true},y,x],[{aliases,[{y,x}]},{negations,[{no_b,b}]},{expand,[{x,[z]}]}]]",
    "{value,[b,z]}",
  ],
  [
    "proplists:to_map",
    "[[{no_x,false},{a,1},{a,2},b],[{negations,[{no_x,x}]}]]",
    "{value,#{a => 1,b => true,x => true}}",
  ],
];

const FLAT = new Set(["io_lib:build_text"]);

function shape(mfa: string, v: Term): Term {
  return FLAT.has(mfa) ? call("lists:flatten", v) : v;
}

function run(mfa: string, args: Term[]): string {
  try {
    return `{value,${formatW(shape(mfa, call(mfa, ...args)))}}`;
  } catch (e) {
    if (!(e instanceof ErlangError)) throw e;
    const r = e.reason;
    return `{error,${formatW(Array.isArray(r) && r.length === 2 ? r[0]! : r)}}`;
  }
}

describe("added library functions match erl", () => {
  for (const [mfa, args, expected] of ROWS) {
    test(`${mfa}(${args})`, () => {
      const want = parseTerm(expected) as Term[];
      const text =
        want[0] === parseTerm("value") ? `{value,${formatW(shape(mfa, want[1]!))}}` : expected;
      expect(run(mfa, listToArray(parseTerm(args))!)).toBe(text);
    });
  }
});
