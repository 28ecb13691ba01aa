#!/usr/bin/env bash
# Median CPU ms of N fresh cold runs of one benchmark (bench/cold-cpu.ts).
#   bash bench/cold-cpu.sh ID [N]
id=$1; n=${2:-5}
for _ in $(seq "$n"); do bun "$(dirname "$0")/cold-cpu.ts" "$id"; done |
  bun -e 'const xs=(await Bun.stdin.text()).trim().split("\n").map((l)=>JSON.parse(l));
const med=(a)=>a.sort((p,q)=>p-q)[a.length>>1];
console.log(JSON.stringify({id:xs[0].id,cpu:xs.map((x)=>Math.round(x.cpu)),median:Math.round(med(xs.map((x)=>x.cpu))),wallMedian:Math.round(med(xs.map((x)=>x.wall))),ok:xs.every((x)=>x.ok)}))'
