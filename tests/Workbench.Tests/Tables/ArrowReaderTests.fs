/// The Parquet files the library writes (an electorate, a simulation's results.parquet) read back with Apache Arrow's C++
/// Parquet reader through ParquetSharp: the reader pyarrow, pandas and the DuckDB-compatible tools build on, so a file that
/// reads here with the right names, logical types, row count and values reads the same there. The library's own tests read
/// these files with Parquet.Net; this is a second, independent implementation of the format.
module Workbench.Tests.Tables.ArrowReaderTests

open System
open System.IO
open Expecto
open ParquetSharp
open Workbench.Electorate
open Workbench.Experiments
open Workbench.Tables

/// The physical type and logical type the writer gives each storage type (docs/electorate.md, "Parquet format"):
/// (physical, Some (bit width, signed) for an integer logical type, whether the logical type is STRING).
let private expectedType (t: Type) : PhysicalType * (int * bool) option * bool =
    if t = typeof<string> then PhysicalType.ByteArray, None, true
    elif t = typeof<int> then PhysicalType.Int32, None, false
    elif t = typeof<int64> then PhysicalType.Int64, None, false
    elif t = typeof<int16> then PhysicalType.Int32, Some(16, true), false
    elif t = typeof<sbyte> then PhysicalType.Int32, Some(8, true), false
    elif t = typeof<byte> then PhysicalType.Int32, Some(8, false), false
    elif t = typeof<float32> || t = typeof<Half> then PhysicalType.Float, None, false
    elif t = typeof<float> then PhysicalType.Double, None, false
    else failwithf "no expected Parquet type for %s" t.Name

/// Every row group's values of column j, read with the logical reader of type 'T and concatenated.
let private readAll<'T> (reader: ParquetFileReader) (j: int) : 'T[] =
    [| for g in 0 .. reader.FileMetaData.NumRowGroups - 1 do
           use rg = reader.RowGroup g
           use col = rg.Column j
           use logical = col.LogicalReader<'T>()
           yield! logical.ReadAll(int rg.MetaData.NumRows) |]

/// Column j read with the .NET type its logical type maps to, as an array of that type.
let private readColumn (reader: ParquetFileReader) (j: int) (storage: Type) : Array =
    if storage = typeof<string> then readAll<string> reader j
    elif storage = typeof<int> then readAll<int> reader j
    elif storage = typeof<int64> then readAll<int64> reader j
    elif storage = typeof<int16> then readAll<int16> reader j
    elif storage = typeof<sbyte> then readAll<sbyte> reader j
    elif storage = typeof<byte> then readAll<byte> reader j
    elif storage = typeof<float32> || storage = typeof<Half> then readAll<float32> reader j
    elif storage = typeof<float> then readAll<float> reader j
    else failwithf "no reader for %s" storage.Name

/// The in-memory values as the file should hold them (half precision is written as the same value in single precision).
let private asWritten (values: Array) : Array =
    match values with
    | :? (Half[]) as h -> h |> Array.map float32 :> Array
    | v -> v

/// Values compared by their bits for floating point (so negative zero and NaN payloads count), by equality otherwise.
let private sameValues (name: string) (actual: Array) (expected: Array) =
    match actual, expected with
    | (:? (float32[]) as a), (:? (float32[]) as e) ->
        Expect.sequenceEqual (a |> Array.map BitConverter.SingleToInt32Bits) (e |> Array.map BitConverter.SingleToInt32Bits) $"{name}: every value, bit for bit"
    | (:? (float[]) as a), (:? (float[]) as e) ->
        Expect.sequenceEqual (a |> Array.map BitConverter.DoubleToInt64Bits) (e |> Array.map BitConverter.DoubleToInt64Bits) $"{name}: every value, bit for bit"
    | a, e ->
        Expect.equal (a.GetType()) (e.GetType()) $"{name}: element type"
        Expect.sequenceEqual (Seq.cast<obj> a) (Seq.cast<obj> e) $"{name}: every value"

/// Checks the file against the table it was written from: column count, names, physical and logical types, row count and values.
let private checkFile (path: string) (table: ColumnTable) =
    use reader = new ParquetFileReader(path)
    let md = reader.FileMetaData
    Expect.equal md.NumColumns table.Columns.Count "column count"
    Expect.equal md.NumRows (int64 table.RowCount) "row count"
    let rowsInGroups = [ for g in 0 .. md.NumRowGroups - 1 -> (use rg = reader.RowGroup g in rg.MetaData.NumRows) ] |> List.sum
    Expect.equal rowsInGroups (int64 table.RowCount) "the row groups hold every row"
    for j in 0 .. table.Columns.Count - 1 do
        let c = table.Columns[j]
        let descr = md.Schema.Column j
        Expect.equal descr.Name c.Name $"column {j}'s name"
        let physical, intType, isString = expectedType c.Type
        Expect.equal descr.PhysicalType physical $"{c.Name}: physical type"
        Expect.equal descr.MaxDefinitionLevel 0s $"{c.Name}: required (no nulls)"
        match descr.LogicalType with
        | :? IntLogicalType as it ->
            Expect.equal (Some(it.BitWidth, it.IsSigned)) intType $"{c.Name}: integer logical type INTEGER({it.BitWidth}, {it.IsSigned})"
        | :? StringLogicalType -> Expect.isTrue isString $"{c.Name}: STRING logical type only on string columns"
        | :? NoneLogicalType -> Expect.isTrue (intType.IsNone && not isString) $"{c.Name}: no logical type only on plain int32/int64/float/double columns"
        | other -> failtestf "%s: unexpected logical type %O" c.Name other
        sameValues c.Name (readColumn reader j c.Type) (asWritten c.Values)

[<Tests>]
let tests =
    testList "Tables.Arrow C++ reader" [
        test "an electorate's Parquet file reads in Apache Arrow's C++ reader with every name, logical type and value the library holds" {
            let e = Generator.Generate(ElectorateSpec.Preset "classroom", 20000, 4UL)
            let path = Path.Combine(Path.GetTempPath(), $"workbench-arrow-electorate-{Guid.NewGuid():N}.parquet")
            try
                ElectorateExport.WriteParquet(e, path, Nullable 2)
                let table = ElectorateExport.Slice(e, 0, e.VoterCount)
                Expect.equal table.RowCount 20000 "20,000 voters"
                // The kinds of column the file has: the test is only as strong as the types it meets.
                let types = table.Columns |> Seq.map (fun c -> c.Type) |> Array.ofSeq
                for t in [ typeof<byte>; typeof<sbyte>; typeof<int16>; typeof<Half> ] do
                    Expect.contains types t $"the electorate has a {t.Name} column"
                checkFile path table
                // A few columns against the electorate's own arrays, not only against the library's table of them.
                use reader = new ParquetFileReader(path)
                let index name = table.Columns |> Seq.findIndex (fun c -> c.Name = name)
                Expect.sequenceEqual (readAll<byte> reader (index "age")) e.Age "age"
                Expect.sequenceEqual (readAll<byte> reader (index "employment")) e.Employment "employment"
                Expect.sequenceEqual (readAll<sbyte> reader (index "sincere_vote")) e.SincereVote "sincere_vote"
                let k = e.Spec.IssueCount
                let issue0 = Array.init e.VoterCount (fun i -> float32 e.IssuePosition[i * k])
                Expect.sequenceEqual (readAll<float32> reader (index "issue0_position")) issue0 "issue0_position, the half-precision values"
                Expect.isTrue (reader.FileMetaData.KeyValueMetadata.ContainsKey ElectorateExport.CodebookKey) "the codebook is in the file metadata"
            finally
                File.Delete path
        }
        test "a simulation's results.parquet reads in Apache Arrow's C++ reader with the results' names, STRING and integer types and values" {
            let result = Simulation.Run(Scenario.Builtin("classroom").With(replicates = 2, voters = 8000), Nullable 2)
            let dir = Path.Combine(Path.GetTempPath(), $"workbench-arrow-results-{Guid.NewGuid():N}")
            try
                result.Write dir
                let table = result.ToTable()
                Expect.isGreaterThan table.RowCount 0 "rows"
                Expect.equal [ for c in table.Columns -> c.Name ]
                    [ "scenario"; "arm"; "replicate"; "seed"; "system"; "party"; "votes"; "share"; "seats"; "turnout"; "spend"; "contacts" ] "the results' columns"
                let path = Path.Combine(dir, "results.parquet")
                checkFile path table
                use reader = new ParquetFileReader(path)
                Expect.sequenceEqual (readAll<string> reader 5) [| for r in result.Rows -> r.Party |] "party, from the result rows"
                Expect.sequenceEqual (readAll<int64> reader 6) [| for r in result.Rows -> r.Votes |] "votes, from the result rows"
            finally
                Directory.Delete(dir, true)
        }
    ]
