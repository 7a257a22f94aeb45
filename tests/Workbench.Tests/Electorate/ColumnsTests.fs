module Workbench.Tests.Electorate.ColumnsTests

// Large electorate columns are allocated pinned and, on Linux, advised for transparent huge pages (page
// faults dominated the 10M-voter benchmark). The advice shows as the "hg" flag of the mapping in /proc/self/smaps.

open System
open System.IO
open Expecto
open Workbench.Electorate

/// The VmFlags line of the mapping in /proc/self/smaps that contains address.
let private vmFlags (address: int64) =
    let lines = File.ReadAllLines "/proc/self/smaps"
    let mutable inside = false
    let mutable flags = None
    for line in lines do
        let head = line.Split(' ').[0]
        if head.Contains '-' && not (head.EndsWith ":") then
            let parts = head.Split '-'
            let lo, hi = Convert.ToInt64(parts.[0], 16), Convert.ToInt64(parts.[1], 16)
            inside <- lo <= address && address < hi
        elif inside && line.StartsWith "VmFlags:" then flags <- Some(line.Substring 8)
    flags

[<Tests>]
let columns =
    testList "Electorate.Columns" [
        test "a large column is usable, pinned, and (Linux, THP not disabled) advised for huge pages" {
            let a = Columns.Allocate<int> 10_000_000
            Expect.equal a.Length 10_000_000 "length"
            for i in 0 .. 4096 .. a.Length - 1 do a.[i] <- i
            Expect.equal a.[4096 * 100] (4096 * 100) "written and read back"
            let thp = "/sys/kernel/mm/transparent_hugepage/enabled"
            if OperatingSystem.IsLinux() && File.Exists thp && not ((File.ReadAllText thp).Contains "[never]") then
                let handle = Runtime.InteropServices.GCHandle.Alloc(a, Runtime.InteropServices.GCHandleType.Pinned) // only pinned objects can be
                try
                    // An address in the middle of the column lies in the advised (2 MiB-aligned) part.
                    let middle = handle.AddrOfPinnedObject().ToInt64() + 20_000_000L
                    match vmFlags middle with
                    | Some f -> Expect.stringContains f " hg" $"MADV_HUGEPAGE set on the column's mapping (VmFlags:{f})"
                    | None -> failtest "the column's address is in no mapping of /proc/self/smaps"
                finally handle.Free()
        }
        test "a small column is an ordinary array" {
            let a = Columns.Allocate<byte> 1000
            Expect.equal a.Length 1000 "length"
        }
    ]
