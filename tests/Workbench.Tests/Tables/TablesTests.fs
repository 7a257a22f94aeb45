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
            Expect.throwsT<ArgumentException> (fun () -> ColumnTable([| TableColumn("a", [| 1.0m |]) |]) |> ignore) "unsupported type"
        }
    ]

/// Every supported type, with runs (RLE), few distinct values (dictionary) and, in "many", more than 65,536 distinct values (PLAIN).
let private wide (n: int) (offset: int) =
    ColumnTable([| TableColumn("s", Array.init n (fun i -> if i % 7 = 0 then "" else sprintf "v%d" ((i + offset) % 13)))
                   TableColumn("i", Array.init n (fun i -> (i + offset) / 100 - 5))
                   TableColumn("many", Array.init n (fun i -> (i + offset) * 7919))
                   TableColumn("l", Array.init n (fun i -> int64 (i + offset) * 1_000_000_007L - 3L))
                   TableColumn("i16", Array.init n (fun i -> int16 ((i + offset) % 40000 - 20000)))
                   TableColumn("i8", Array.init n (fun i -> sbyte ((i + offset) % 256 - 128)))
                   TableColumn("u8", Array.init n (fun i -> byte ((i + offset) * 31 % 256)))
                   TableColumn("f", Array.init n (fun i -> if i % 1000 = 3 then -0.0f else float32 (i + offset) / 3.0f))
                   TableColumn("d", Array.init n (fun i -> if i = 1 then -0.0 elif i = 2 then nan else float ((i + offset) % 50) * 0.1))
                   TableColumn("h", Array.init n (fun i -> Half.op_Explicit (float32 ((i + offset) % 3000) / 7.0f))) |])

let private parquetOf (t: ColumnTable) (threads: int) (metadata: Collections.Generic.KeyValuePair<string, string>[]) =
    use ms = new MemoryStream()
    t.WriteParquet(ms, metadata, threads)
    ms.ToArray()

/// What a table reads back as: Half columns as the float32 values they widen to, every other column as written.
let private expectedBack (t: ColumnTable) =
    t.Columns |> Seq.map (fun c ->
        match c.Values with
        | :? (Half[]) as h -> TableColumn(c.Name, h |> Array.map float32)
        | _ -> c) |> Array.ofSeq

let private sameValues (back: ColumnTable) (expected: TableColumn[]) =
    Expect.equal (back.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) (expected |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) "names and types"
    for e in expected do
        let a = back[e.Name].Values
        match e.Values with
        | :? (float32[]) as f -> Expect.sequenceEqual ((a :?> float32[]) |> Array.map BitConverter.SingleToInt32Bits) (f |> Array.map BitConverter.SingleToInt32Bits) e.Name
        | :? (float[]) as d -> Expect.sequenceEqual ((a :?> float[]) |> Array.map BitConverter.DoubleToInt64Bits) (d |> Array.map BitConverter.DoubleToInt64Bits) e.Name
        | v -> Expect.sequenceEqual (Seq.cast<obj> a) (Seq.cast<obj> v) e.Name

[<Tests>]
let parquet =
    testList "Tables.Parquet" [
        test "every type round-trips through Parquet.Net bit for bit (Half as its float32 value), dictionary and PLAIN chunks alike" {
            let t = wide 100_000 0
            let back = ColumnTable.ReadParquetAsync(new MemoryStream(parquetOf t 2 [||])).GetAwaiter().GetResult()
            sameValues back (expectedBack t)
        }
        test "logical types: int16, int8 and uint8 are INT32 with INTEGER(16/8, signed/unsigned); Half is FLOAT; the file metadata is kept in order" {
            let t = wide 1000 0
            let meta = [| Collections.Generic.KeyValuePair.Create("b.first", "1"); Collections.Generic.KeyValuePair.Create("a.second", "zwei ✓") |]
            use ms = new MemoryStream(parquetOf t 1 meta)
            let reader = Parquet.ParquetReader.CreateAsync(ms).GetAwaiter().GetResult()
            try
                let fields = reader.Schema.GetDataFields() |> Array.map (fun f -> f.Name, f.ClrType) |> Map.ofArray
                Expect.equal fields["i16"] typeof<int16> "int16"
                Expect.equal fields["i8"] typeof<sbyte> "int8"
                Expect.equal fields["u8"] typeof<byte> "uint8"
                Expect.equal fields["h"] typeof<float32> "Half as float32"
                Expect.contains [ typeof<string>; typeof<ReadOnlyMemory<char>> ] fields["s"] "string"
                Expect.sequenceEqual (reader.CustomMetadata |> Seq.map (fun kv -> kv.Key, kv.Value)) [ "b.first", "1"; "a.second", "zwei ✓" ] "metadata"
            finally reader.DisposeAsync().AsTask().Wait()
        }
        test "a negative int8 is stored sign-extended in its INT32 (-1, not 255)" {
            // A reader that ignores the INTEGER(8, signed) annotation (or checks statistics) sees the physical INT32; an sbyte
            // array encoded as bytes would put 255 there although an annotation-aware reader would still show -1.
            let t = ColumnTable([| TableColumn("i8", [| -1y |]) |])
            let bytes = parquetOf t 1 [||]
            let dictionaryPage = [| 0xFFuy; 0xFFuy; 0xFFuy; 0xFFuy |]
            let contains (hay: byte[]) (needle: byte[]) = Seq.windowed needle.Length hay |> Seq.exists (fun w -> w = needle)
            Expect.isTrue (contains bytes dictionaryPage) "the dictionary holds -1 as four 0xFF bytes"
            Expect.isFalse (contains bytes [| 0xFFuy; 0uy; 0uy; 0uy |]) "not 255"
        }
        test "the bytes do not depend on the thread count" {
            let t = wide 70_000 5
            let one = parquetOf t 1 [||]
            for threads in [ 2; 3; 8 ] do Expect.isTrue (parquetOf t threads [||] = one) (sprintf "%d threads" threads)
        }
        test "the streaming writer writes one row group per table and reads back as their concatenation" {
            let parts = [| wide 30_000 0; wide 1 30_000; wide 69_999 30_001 |]
            use ms = new MemoryStream()
            do
                use w = new ParquetTableWriter(ms, parts[0].Schema, null, 2)
                for p in parts do w.WriteRowGroup p
                Expect.equal w.RowCount 100_000L "rows so far"
                w.Finish()
            let bytes = ms.ToArray()
            let reader = Parquet.ParquetReader.CreateAsync(new MemoryStream(bytes)).GetAwaiter().GetResult()
            Expect.equal reader.RowGroupCount 3 "row groups"
            reader.DisposeAsync().AsTask().Wait()
            let back = ColumnTable.ReadParquetAsync(new MemoryStream(bytes)).GetAwaiter().GetResult()
            sameValues back (expectedBack (ColumnTable.Concat parts))
        }
        test "a table of other columns than the writer's is refused, naming both" {
            use ms = new MemoryStream()
            use w = new ParquetTableWriter(ms, (wide 1 0).Schema)
            let ex = Expect.throwsC (fun () -> w.WriteRowGroup(ColumnTable([| TableColumn("s", [| 1 |]) |]))) id
            Expect.stringContains ex.Message "s:Int32" "names the table's columns"
            Expect.stringContains ex.Message "h:Half" "names the writer's columns"
        }
        test "dictionary at its limit: 65,536 distinct values are dictionary-encoded (16-bit indices), 65,537 are PLAIN; both read back" {
            for n in [ 65_536; 65_537 ] do
                let t = ColumnTable([| TableColumn("k", Array.init n (fun i -> i * 3)); TableColumn("x", Array.init n (fun i -> float32 i + 0.5f)) |])
                let bytes = parquetOf t 1 [||]
                let back = ColumnTable.ReadParquetAsync(new MemoryStream(bytes)).GetAwaiter().GetResult()
                sameValues back (expectedBack t)
                // PLAIN stores 4 bytes per value; dictionary 4 per distinct value plus 2 per index.
                let perValue = float bytes.Length / float (2 * n)
                if n = 65_536 then Expect.isGreaterThan perValue 5.5 "dictionary: about 6 bytes per value" else Expect.isLessThan perValue 4.5 "PLAIN: about 4 bytes per value"
        }
        test "an empty table writes and reads back with its columns" {
            let t = ColumnTable([| TableColumn("a", Array.empty<int>); TableColumn("b", Array.empty<string>) |])
            let back = ColumnTable.ReadParquetAsync(new MemoryStream(parquetOf t 1 [||])).GetAwaiter().GetResult()
            Expect.equal back.RowCount 0 "rows"
            Expect.equal (back.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq) [ "a", typeof<int>; "b", typeof<string> ] "columns"
        }
        test "CSV of the narrow types: integers as integers, float and Half as round-trip float32" {
            let t = ColumnTable([| TableColumn("i8", [| -1y |]); TableColumn("u8", [| 255uy |]); TableColumn("i16", [| -300s |])
                                   TableColumn("f", [| 0.1f |]); TableColumn("h", [| Half.op_Explicit 0.1f |]) |])
            Expect.equal (t.ToCsv()) "i8,u8,i16,f,h\n-1,255,-300,0.1,0.099975586\n" "csv"
        }
    ]
