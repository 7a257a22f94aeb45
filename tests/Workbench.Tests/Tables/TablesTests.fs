module Workbench.Tests.Tables.TablesTests

open System
open System.IO
open Expecto
open Workbench.Tables

let private sample () =
    ColumnTable([| TableColumn("name", [| "a"; "b,c"; "say \"hi\""; "two\nlines" |])
                   TableColumn("n", [| 1; -2; 3; Int32.MaxValue |])
                   TableColumn("big", [| 0L; Int64.MinValue; 5L; Int64.MaxValue |])
                   TableColumn("x", [| 0.1; -0.0; 1e300; Math.PI |]) |])

[<Tests>]
let tests =
    testList "Tables.ColumnTable" [
        test "Parquet round trip keeps every name, type and value bit for bit" {
            let t = sample ()
            use ms = new MemoryStream()
            t.WriteParquetAsync(ms).GetAwaiter().GetResult()
            ms.Position <- 0L
            let back = ColumnTable.ReadParquetAsync(ms).GetAwaiter().GetResult()
            Expect.equal (back.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) (t.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) "schema"
            Expect.sequenceEqual (back["name"].Values :?> string[]) (t["name"].Values :?> string[]) "strings"
            Expect.sequenceEqual (back["big"].Values :?> int64[]) (t["big"].Values :?> int64[]) "longs"
            let bits (c: TableColumn) = (c.Values :?> float[]) |> Array.map BitConverter.DoubleToInt64Bits
            Expect.sequenceEqual (bits back["x"]) (bits t["x"]) "doubles, negative zero included"
        }
        test "CSV: header, RFC 4180 quoting of commas, quotes and line breaks, round-trip doubles" {
            let csv = (sample ()).ToCsv()
            let expected =
                "name,n,big,x\n" +
                "a,1,0,0.1\n" +
                "\"b,c\",-2,-9223372036854775808,-0\n" +
                "\"say \"\"hi\"\"\",3,5,1E+300\n" +
                "\"two\nlines\",2147483647,9223372036854775807,3.141592653589793\n"
            Expect.equal csv expected "csv"
            Expect.equal (CsvText.Escape "cr\rhere") "\"cr\rhere\"" "a carriage return is quoted too"
        }
        test "Reorder and Concat keep columns aligned; mismatched tables and columns are refused" {
            let t = sample ()
            let r = t.Reorder [| 3; 0 |]
            Expect.equal (r["n"].Values :?> int[]) [| Int32.MaxValue; 1 |] "reordered"
            let c = ColumnTable.Concat [| t; r |]
            Expect.equal c.RowCount 6 "rows"
            Expect.equal (c["name"].Values :?> string[]).[5] "a" "appended in order"
            let other = ColumnTable([| TableColumn("n", [| 1 |]) |])
            Expect.throwsT<InvalidDataException> (fun () -> ColumnTable.Concat [| t; other |] |> ignore) "different columns"
            Expect.throwsT<ArgumentException> (fun () -> ColumnTable([| TableColumn("a", [| 1 |]); TableColumn("b", [| 1; 2 |]) |]) |> ignore) "ragged"
            Expect.throwsT<ArgumentException> (fun () -> ColumnTable([| TableColumn("a", [| 1 |]); TableColumn("a", [| 2 |]) |]) |> ignore) "duplicate name"
            Expect.throwsT<ArgumentException> (fun () -> ColumnTable([| TableColumn("a", [| 1.0f |]) |]) |> ignore) "unsupported type"
        }
    ]
