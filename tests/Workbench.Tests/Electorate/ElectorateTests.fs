module Workbench.Tests.Electorate.ElectorateTests

open System
open System.IO
open System.Runtime.Intrinsics
open System.Security.Cryptography
open Expecto
open Workbench
open Workbench.Electorate
open Workbench.Tables

let private repoRoot = Workbench.Notebooks.Tests.Repo.root

/// Electorates are cached per (preset, voters, seed): generating them is the expensive part.
let private cache = Collections.Concurrent.ConcurrentDictionary<string * int * int, Lazy<Electorate>>()
let private gen preset voters seed =
    cache.GetOrAdd((preset, voters, seed), fun (p, v, s) -> lazy (Electorates.Generate(Electorates.Preset p, Nullable v, Nullable s, Nullable 2))).Value

/// A preset's spec with its JSON edited (F# cannot use C#'s `with` on records).
let private edited preset (edit: Text.Json.Nodes.JsonObject -> unit) =
    let node = Text.Json.Nodes.JsonNode.Parse((Electorates.Preset preset).ToJson()).AsObject()
    edit node
    ElectorateSpec.FromJson(node.ToJsonString())

let private parquetBytes (e: Electorate) =
    use ms = new MemoryStream()
    ElectorateExport.WriteParquetAsync(e, ms).GetAwaiter().GetResult()
    ms.ToArray()

[<Tests>]
let spec =
    testList "Electorate.Spec" [
        test "one age-band function: AgeBandOf puts every whole age from 0 to 120 in the band whose bounds hold it (younger in the first, older in the last)" {
            let lower = ElectorateSpec.AgeBandLower.ToArray()
            let upper = ElectorateSpec.AgeBandUpper.ToArray()
            for age in 0 .. 120 do
                let b = ElectorateSpec.AgeBandOf(float age)
                let expected =
                    if age < lower.[0] then 0
                    else Seq.init ElectorateSpec.AgeBandCount id |> Seq.filter (fun k -> age >= lower.[k]) |> Seq.max
                Expect.equal b expected $"age {age}"
                if age >= lower.[0] && age < upper.[ElectorateSpec.AgeBandCount - 1] then
                    Expect.isTrue (lower.[b] <= age && age < upper.[b]) $"age {age} within band {b}'s bounds"
            // The generator counts its marginals with AgeBandOf and computes turnout with TurnoutModel.Logistic: no copies of its own.
            let declared name = typeof<Generator>.GetMethods(Reflection.BindingFlags.Public ||| Reflection.BindingFlags.NonPublic ||| Reflection.BindingFlags.Static ||| Reflection.BindingFlags.DeclaredOnly) |> Array.filter (fun m -> m.Name = name)
            Expect.isEmpty (declared "AgeBand") "Generator declares no AgeBand beside ElectorateSpec.AgeBandOf"
            Expect.isEmpty (declared "Logistic") "Generator declares no Logistic beside TurnoutModel.Logistic"
        }
        test "every preset loads and validates" {
            for name in Electorates.Presets do
                let s = Electorates.Preset name
                Expect.isEmpty (s.Validate()) $"{name} valid"
                Expect.equal s.Name name "name"
        }
        test "westminster-like has 650 seats and 5 parties; classroom about 20 seats and 50k voters" {
            let w = Electorates.Preset "westminster-like"
            Expect.equal w.Constituencies 650 "seats"
            Expect.equal w.Parties.Count 5 "parties"
            let c = Electorates.Preset "classroom"
            Expect.equal c.Constituencies 20 "seats"
            Expect.equal c.DefaultVoters 50000 "voters"
        }
        test "JSON round-trips to the same JSON" {
            for name in Electorates.Presets do
                let s = Electorates.Preset name
                let again = ElectorateSpec.FromJson(s.ToJson())
                Expect.equal (again.ToJson()) (s.ToJson()) name
        }
        test "Validate lists every error with its JSON path" {
            let bad =
                edited "classroom" (fun o ->
                    o.["turnoutTarget"] <- Text.Json.Nodes.JsonValue.Create 1.5
                    o.["regions"] <- Text.Json.Nodes.JsonValue.Create 0
                    o.["householdSizes"] <- Text.Json.Nodes.JsonNode.Parse "[0.5, 0.5]"
                    o.["parties"].[0].["positions"] <- Text.Json.Nodes.JsonNode.Parse "[0.0]")
            let errors = bad.Validate() |> Seq.map (fun e -> e.Path) |> Set.ofSeq
            for path in [ "$.turnoutTarget"; "$.regions"; "$.householdSizes"; "$.parties[0].positions" ] do
                Expect.contains errors path $"reports {path}"
            let ex = Expect.throwsC (fun () -> bad.EnsureValid() |> ignore) id
            Expect.isTrue (ex :? SpecValidationException) "SpecValidationException"
            Expect.stringContains ex.Message "1.5" "names the value"
        }
        test "target shares must sum to 1" {
            let bad = edited "classroom" (fun o -> o.["parties"].[0].["targetShare"] <- Text.Json.Nodes.JsonValue.Create 0.5)
            Expect.exists (bad.Validate()) (fun e -> e.Path = "$.parties" && e.Message.Contains "sum") "sum error"
        }
        test "unknown JSON fields are errors, not silently ignored" {
            let json = (Electorates.Preset "classroom").ToJson().Replace("\"regions\"", "\"regionz\"")
            Expect.throwsT<SpecValidationException> (fun () -> ElectorateSpec.FromJson json |> ignore) "rejected"
        }
        test "an unknown preset names the known ones" {
            let ex = Expect.throwsC (fun () -> Electorates.Preset "atlantis" |> ignore) id
            Expect.stringContains ex.Message "westminster-like" "lists presets"
        }
    ]

[<Tests>]
let ipf =
    testList "Electorate.IPF" [
        test "IPF matches the three marginals and keeps the seed's odds ratios" {
            let seed = Array.init (2 * 3 * 2) (fun i -> 1.0 + float (i % 5))
            let t = Array.copy seed
            let m0, m1, m2 = [| 0.3; 0.7 |], [| 0.2; 0.5; 0.3 |], [| 0.6; 0.4 |]
            Ipf.Fit(t, ReadOnlySpan m0, ReadOnlySpan m1, ReadOnlySpan m2) |> ignore
            for (dim, m) in [ 0, m0; 1, m1; 2, m2 ] do
                let fitted = Ipf.Marginal(t, 2, 3, 2, dim)
                Array.iter2 (fun a b -> Expect.floatClose Accuracy.high a b $"marginal {dim}") fitted m
            // Odds ratio between cells (0,0,0),(0,0,1),(1,0,0),(1,0,1) is preserved by IPF.
            let idx a b c = (a * 3 + b) * 2 + c
            let orr (x: float[]) = x.[idx 0 0 0] * x.[idx 1 0 1] / (x.[idx 0 0 1] * x.[idx 1 0 0])
            Expect.floatClose Accuracy.high (orr t) (orr seed) "odds ratio"
        }
    ]

[<Tests>]
let generator =
    testList "Electorate.Generator" [
        test "same seed, 1 and 2 threads: byte-identical Parquet" {
            let s = Electorates.Preset "classroom"
            let a = Electorates.Generate(s, Nullable 30000, Nullable 7, Nullable 1)
            let b = Electorates.Generate(s, Nullable 30000, Nullable 7, Nullable 2)
            Expect.sequenceEqual (parquetBytes a) (parquetBytes b) "identical bytes"
        }
        test "the sixteen-lane logit draw picks what the plain inversion loop picks (zero weights, u = 0, u·Σ = Σ)" {
            // The plain rule: the first party whose cumulative weight exceeds u·Σ, parties of weight 0 skipped, and
            // the last party of positive weight where u·Σ reaches Σ.
            let plain (w: float32[]) (u: float32) =
                let total = Array.fold (+) 0.0f w
                let target = u * total
                let mutable acc, choice, stop = 0.0f, 0, false
                for j in 0 .. w.Length - 1 do
                    if not stop && w.[j] > 0.0f then
                        acc <- acc + w.[j]; choice <- j
                        if target < acc then stop <- true
                choice
            let rng = Random(2020)
            let B = 256
            let mutable checkedLanes, lastPositive = 0, 0
            for parties in [ 2; 5; 8 ] do
                for round in 0 .. 199 do
                    let weight = Array.zeroCreate<float32> (parties * B)
                    let us = Array.zeroCreate<float32> B
                    for v in 0 .. B - 1 do
                        let standing = Array.init parties (fun j -> j = v % parties || rng.NextDouble() < 0.7)
                        for j in 0 .. parties - 1 do
                            weight.[j * B + v] <- if standing.[j] then float32 (Math.Exp(-3.0 * rng.NextDouble())) else 0.0f
                        us.[v] <- match v % 7 with
                                  | 0 -> Workbench.Random.FloatMath.Uniform UInt32.MaxValue // the largest uniform a word gives
                                  | 1 -> 0.0f
                                  | 2 -> 1.0f // u·Σ = Σ: the last party of positive weight
                                  | _ -> Workbench.Random.FloatMath.Uniform(uint32 (rng.NextInt64(0L, 0x1_0000_0000L)))
                    for v in 0 .. 16 .. B - 16 do
                        let picks = Generator.InvertWeights(weight, v, parties, Vector512.Create<float32>(us.[v .. v + 15]))
                        for l in 0 .. 15 do
                            let w = Array.init parties (fun j -> weight.[j * B + v + l])
                            let expected = plain w us.[v + l]
                            if us.[v + l] * Array.fold (+) 0.0f w >= Array.fold (+) 0.0f w then lastPositive <- lastPositive + 1
                            if picks.GetElement l <> expected then failtestf "parties %d, weights %A, u %.9g: vector %d, loop %d" parties w us.[v + l] (picks.GetElement l) expected
                            checkedLanes <- checkedLanes + 1
            Expect.equal checkedLanes (3 * 200 * 256) "every lane compared"
            Expect.isGreaterThan lastPositive 0 "some draws had u·Σ = Σ (the last-positive rule was exercised)"
        }
        test "ten parties (more than one vector of eight in the calibration's second moment): calibrated, thread-independent" {
            let targets = [| 0.20; 0.15; 0.12; 0.10; 0.10; 0.08; 0.08; 0.07; 0.05; 0.05 |]
            let spec =
                edited "classroom" (fun o ->
                    let parties = Text.Json.Nodes.JsonArray()
                    for j in 0 .. targets.Length - 1 do
                        let angle = 2.0 * Math.PI * float j / float targets.Length
                        let positions = $"[{0.9 * cos angle:R}, {0.9 * sin angle:R}, {0.3 * cos (2.0 * angle):R}, {-0.2 + 0.04 * float j:R}]"
                        parties.Add(Text.Json.Nodes.JsonNode.Parse $"""{{ "name": "P{j}", "color": "#{j * 25:x2}4060", "targetShare": {targets.[j]:R}, "positions": {positions} }}""")
                    o.["parties"] <- parties)
            Expect.isEmpty (spec.Validate()) "the ten-party spec is valid"
            let a = Electorates.Generate(spec, Nullable 200000, Nullable 3, Nullable 1)
            let b = Electorates.Generate(spec, Nullable 200000, Nullable 3, Nullable 2)
            Expect.sequenceEqual (parquetBytes a) (parquetBytes b) "1 and 2 threads: identical bytes"
            let c = a.Calibration
            // Newton steps need the second moment: 14 share evaluations here; with its second vector dropped the fit
            // falls back to fixed-point steps and needs 62.
            Expect.isLessThanOrEqual c.Iterations 20 "the valence fit converged in Newton steps (the Jacobian is right)"
            for j in 0 .. targets.Length - 1 do
                Expect.floatClose { absolute = 1e-6; relative = 1e-6 } c.ExpectedShares.[j] targets.[j] $"expected share of P{j} on the calibration sample"
                Expect.floatClose { absolute = 0.01; relative = 0.0 } c.SincereShares.[j] targets.[j] $"sincere share of P{j} (200k voters)"
        }
        test "block rows reach the voter-major columns and come back unchanged, for every width and block length" {
            // StoreBytes/StoreHalves pack four values per store; compare with the plain element-by-element copy.
            let B = 256
            let rng = Random(5)
            for width in 1 .. 9 do
                for count in [ 1; 7; 15; 16; 17; 100; 255; 256 ] do
                    let lanes = (count + 15) &&& ~~~15
                    let i0 = 3 // the block starts inside the column: nothing before or after it may change
                    let rows = Array.init (width * B) (fun _ -> rng.Next 256)
                    let bytes = Array.create ((i0 + count + 2) * width) 0xEEuy
                    Generator.StoreBytes(rows, 0, width, lanes, count, bytes, i0, Array.zeroCreate B)
                    let halfRows = Array.init (width * B) (fun _ -> uint32 (rng.Next 65536))
                    let halves = Array.create ((i0 + count + 2) * width) (BitConverter.UInt16BitsToHalf 0xEEEEus)
                    Generator.StoreHalves(halfRows, 0, width, lanes, count, halves, i0, Array.zeroCreate B)
                    for i in 0 .. bytes.Length - 1 do
                        let voter, r = i / width - i0, i % width
                        let expectedByte = if voter >= 0 && voter < count then byte rows.[r * B + voter] else 0xEEuy
                        if bytes.[i] <> expectedByte then failtestf "bytes width %d count %d: element %d is %d, expected %d" width count i bytes.[i] expectedByte
                        let expectedHalf = if voter >= 0 && voter < count then uint16 halfRows.[r * B + voter] else 0xEEEEus
                        let got = BitConverter.HalfToUInt16Bits halves.[i]
                        if got <> expectedHalf then failtestf "halves width %d count %d: element %d is %04x, expected %04x" width count i got expectedHalf
                    // And back: LoadHalves gives (float)h of each stored value, LoadBytes each byte (or signed byte) as a float.
                    let back = Array.create (width * B) nanf
                    Generator.LoadHalves(halves, i0, width, count, lanes, back, Array.zeroCreate B)
                    for r in 0 .. width - 1 do
                        for v in 0 .. count - 1 do
                            let expected = float32 (BitConverter.UInt16BitsToHalf(uint16 halfRows.[r * B + v]))
                            let got = back.[r * B + v]
                            if not (got = expected || (Single.IsNaN got && Single.IsNaN expected)) then
                                failtestf "LoadHalves width %d count %d: row %d voter %d is %g, expected %g" width count r v got expected
                    let raw = Array.init count (fun v -> byte ((v * 37 + 200) % 256))
                    let unsigned, signed = Array.zeroCreate<float32> B, Array.zeroCreate<float32> B
                    Generator.LoadBytes(ReadOnlySpan<byte>(raw), unsigned, false)
                    Generator.LoadBytes(ReadOnlySpan<byte>(raw), signed, true)
                    for v in 0 .. count - 1 do
                        if unsigned.[v] <> float32 raw.[v] || signed.[v] <> float32 (sbyte raw.[v]) then
                            failtestf "LoadBytes count %d voter %d: %g / %g for byte %d" count v unsigned.[v] signed.[v] raw.[v]
            // One value per voter, signed: −1 stays −1.
            let target = Array.zeroCreate<byte> 40
            Generator.StoreBytes(Array.init B (fun v -> v % 3 - 1), 0, 33, Span<byte>(target), 4)
            for v in 0 .. 32 do Expect.equal (sbyte target.[4 + v]) (sbyte (v % 3 - 1)) $"signed value of voter {v}"
            Expect.equal (target.[0 .. 3], target.[37 ..]) (Array.zeroCreate 4, Array.zeroCreate 3) "nothing outside the block written"
        }
        test "different seeds give different electorates" {
            let a, b = gen "classroom" 20000 1, gen "classroom" 20000 2
            Expect.notEqual (a.SincereVote |> Array.map int) (b.SincereVote |> Array.map int) "differ"
        }
        test "households hold 1–6 contiguous voters who share neighbourhood and constituency" {
            let e = gen "classroom" 50000 1
            let sizes = e.Household |> Array.countBy id
            Expect.isTrue (sizes |> Array.forall (fun (_, n) -> n >= 1 && n <= 6)) "sizes 1..6"
            for i in 1 .. e.VoterCount - 1 do
                if e.Household.[i] = e.Household.[i - 1] then
                    Expect.equal e.Neighbourhood.[i] e.Neighbourhood.[i - 1] "same neighbourhood"
                else Expect.equal e.Household.[i] (e.Household.[i - 1] + 1) "contiguous"
        }
        test "household members share partisanship far more than random pairs" {
            let e = gen "classroom" 50000 1
            let mutable same, pairs = 0, 0
            for i in 1 .. e.VoterCount - 1 do
                if e.Household.[i] = e.Household.[i - 1] && e.PartyId.[i] >= 0y && e.PartyId.[i - 1] >= 0y then
                    pairs <- pairs + 1
                    if e.PartyId.[i] = e.PartyId.[i - 1] then same <- same + 1
            let ids = e.PartyId |> Array.filter (fun p -> p >= 0y)
            let baseline = ids |> Array.countBy id |> Array.sumBy (fun (_, n) -> (float n / float ids.Length) ** 2.0)
            // householdPartisanship = 0.6 copies the head's identification: agreement should be well above chance.
            Expect.isGreaterThan (float same / float pairs) (baseline + 0.25) "household agreement"
        }
        test "neighbourhoods have map coordinates inside the unit square, 100–500 households mostly" {
            let e = gen "westminster-like" 1000000 1
            Expect.isTrue (e.NeighbourhoodX |> Array.forall (fun x -> x >= 0.0f && x <= 1.0f)) "x"
            Expect.isTrue (e.NeighbourhoodY |> Array.forall (fun y -> y >= 0.0f && y <= 1.0f)) "y"
            let hh = e.Household |> Array.zip e.Neighbourhood |> Array.distinct |> Array.countBy fst
            let inRange = hh |> Array.filter (fun (_, n) -> n >= 50 && n <= 750) |> Array.length
            Expect.isGreaterThan (float inRange / float hh.Length) 0.95 "neighbourhood sizes"
        }
        test "1M voters of westminster-like: shares within 0.5 points, turnout within 1 point, 15–40% marginal seats" {
            // The generator's calibration targets at scale (docs/electorate.md).
            let e = gen "westminster-like" 1000000 1
            let s = e.Summarize()
            for kv in s.NationalShares do
                Expect.isLessThan (abs (kv.Value - s.TargetShares.[kv.Key])) 0.005 $"{kv.Key} share"
            Expect.isLessThan (abs (s.Turnout - e.Spec.TurnoutTarget)) 0.01 "turnout"
            Expect.isGreaterThanOrEqual s.MarginalSeatShare 0.15 "marginal seats ≥ 15%"
            Expect.isLessThanOrEqual s.MarginalSeatShare 0.40 "marginal seats ≤ 40%"
        }
        test "a regional-only party gets no votes outside its stronghold" {
            let e = gen "westminster-like" 1000000 1
            let thistle = Array.IndexOf(e.PartyNames |> Seq.toArray, "Thistle")
            for i in 0 .. e.VoterCount - 1 do
                if int e.SincereVote.[i] = thistle then
                    Expect.equal (int e.ConstituencyRegion.[int e.Constituency.[i]]) 11 "only region 11"
        }
        test "IPF-calibrated demographic marginals are met within sampling error (2 points per region at 50k voters)" {
            let e = gen "classroom" 50000 1
            Expect.isLessThan e.Calibration.LargestMarginalError 0.02 "marginal error"
        }
        test "salience weights sum to 1 and issue positions vary between neighbourhoods" {
            let e = gen "classroom" 20000 1
            let K = e.IssueCount
            for i in 0 .. 97 .. e.VoterCount - 1 do
                let s = Seq.init K (fun q -> float e.IssueSalience.[i * K + q]) |> Seq.sum
                Expect.floatClose { absolute = 0.01; relative = 0.0 } s 1.0 "salience sums to 1"
        }
        test "turnout rises with age and with past turnout, as the model says" {
            let e = gen "classroom" 50000 1
            let meanWhere f = [| for i in 0 .. e.VoterCount - 1 do if f i then float e.TurnoutPropensity.[i] |] |> Array.average
            Expect.isGreaterThan (meanWhere (fun i -> e.Age.[i] >= 65uy)) (meanWhere (fun i -> e.Age.[i] < 30uy)) "older vote more"
            Expect.isGreaterThan (meanWhere (fun i -> e.PastTurnout.[i] = 1uy)) (meanWhere (fun i -> e.PastTurnout.[i] = 0uy)) "habit"
        }
        test "about 75 bytes per voter (goal: at most 100)" {
            let e = gen "classroom" 20000 1
            Expect.isLessThanOrEqual (e.BytesPerVoter()) 100.0 "bytes per voter"
        }
        test "too few voters for the constituencies is refused, naming voters" {
            let ex = Expect.throwsC (fun () -> Electorates.Generate(Electorates.Preset "westminster-like", Nullable 100) |> ignore) id
            Expect.stringContains ex.Message "voters" "names voters"
        }
        test "HTML summary names every party" {
            let e = gen "classroom" 20000 1
            let html = e.ToHtml()
            for p in e.PartyNames do Expect.stringContains html p "party in table"
        }
    ]

[<Tests>]
let export =
    testList "Electorate.Export" [
        test "CSV header equals the codebook; DataFrame and Deedle have one row per voter" {
            let e = gen "classroom" 20000 1
            use ms = new MemoryStream()
            ElectorateExport.WriteCsv(e, ms)
            let text = Text.Encoding.UTF8.GetString(ms.ToArray())
            let lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            let header = lines.[0].Split(',')
            Expect.sequenceEqual header (e.Codebook() |> Seq.map (fun c -> c.Name)) "header = codebook"
            Expect.equal (lines.Length - 1) e.VoterCount "rows"
            let df = ElectorateExport.ToDataFrame e
            Expect.equal df.Rows.Count (int64 e.VoterCount) "DataFrame rows"
            Expect.equal df.Columns.Count header.Length "DataFrame columns"
            let frame = ElectorateExport.ToDeedle e
            Expect.equal frame.RowCount e.VoterCount "Deedle rows"
            Expect.equal (Seq.length frame.ColumnKeys) header.Length "Deedle columns"
        }
        test "Parquet: every column reads back as its slice (Half as float32), the Parquet types match the codebook, the codebook is in the metadata" {
            let e = gen "classroom" 20000 1
            let bytes = parquetBytes e
            let back = ColumnTable.ReadParquetAsync(new MemoryStream(bytes)).GetAwaiter().GetResult()
            let slice = ElectorateExport.Slice(e, 0, e.VoterCount)
            let codebook = e.Codebook()
            let typeName (t: Type) =
                if t = typeof<int> then "int32" elif t = typeof<int16> then "int16" elif t = typeof<byte> then "uint8"
                elif t = typeof<sbyte> then "int8" elif t = typeof<float32> then "float32" else t.Name
            Expect.sequenceEqual (back.Columns |> Seq.map (fun c -> c.Name)) (codebook |> Seq.map (fun c -> c.Name)) "names"
            Expect.sequenceEqual (back.Columns |> Seq.map (fun c -> typeName c.Type)) (codebook |> Seq.map (fun c -> c.Type)) "types = codebook"
            for c in slice.Columns do
                let expected: obj seq =
                    match c.Values with
                    | :? (Half[]) as h -> h |> Seq.map (fun x -> box (float32 x))
                    | v -> Seq.cast<obj> v
                Expect.sequenceEqual (Seq.cast<obj> back[c.Name].Values) expected c.Name
            let reader = Parquet.ParquetReader.CreateAsync(new MemoryStream(bytes)).GetAwaiter().GetResult()
            try Expect.equal reader.CustomMetadata[ElectorateExport.CodebookKey] (ElectorateExport.CodebookJson e) "codebook in the key-value metadata"
            finally reader.DisposeAsync().AsTask().Wait()
        }
        test "Parquet bytes do not depend on the writer's thread count" {
            let e = gen "classroom" 20000 3
            let write (t: int) = (use ms = new MemoryStream() in ElectorateExport.WriteParquet(e, ms, t); ms.ToArray())
            Expect.isTrue (write 1 = write 2) "1 and 2 threads"
        }
        test "CSV is byte for byte what the per-value getters print (integers, round-trip float32)" {
            // The CSV as it was written before ColumnTable wrote it: each column's int or float value, invariant culture, "R".
            let e = gen "classroom" 5000 2
            use ms = new MemoryStream()
            ElectorateExport.WriteCsv(e, ms)
            let df = ElectorateExport.ToDataFrame e
            let sb = Text.StringBuilder()
            sb.Append(String.Join(",", df.Columns |> Seq.map (fun c -> c.Name))).Append('\n') |> ignore
            let ci = Globalization.CultureInfo.InvariantCulture
            for i in 0L .. df.Rows.Count - 1L do
                let cells = df.Columns |> Seq.map (fun c -> match c.[i] with :? float32 as f -> f.ToString("R", ci) | :? int as n -> n.ToString ci | v -> string v)
                sb.Append(String.Join(",", cells)).Append('\n') |> ignore
            Expect.equal (Text.Encoding.UTF8.GetString(ms.ToArray())) (sb.ToString()) "csv"
        }
        test "codebook marks the GDPR special categories" {
            let e = gen "classroom" 20000 1
            let special = e.Codebook() |> Seq.filter (fun c -> c.SpecialCategory) |> Seq.map (fun c -> c.Name) |> Set.ofSeq
            Expect.equal special (set [ "minority"; "health" ]) "Art. 9 columns"
        }
    ]

[<Tests>]
let sampleData =
    testList "Electorate.SampleData" [
        test "data-synthetic sample regenerates to the recorded SHA-256 checksums" {
            let dir = Path.Combine(repoRoot, "data-synthetic")
            let sums =
                File.ReadAllLines(Path.Combine(dir, "SHA256SUMS"))
                |> Array.map (fun l -> let p = l.Split("  ") in p.[1], p.[0])
                |> Map.ofArray
            let e = Electorates.Generate(Electorates.Preset "classroom", Nullable 20000, Nullable 1, Nullable 2)
            let hex (b: byte[]) = Convert.ToHexString(SHA256.HashData b).ToLowerInvariant()
            Expect.equal (hex (parquetBytes e)) sums.["classroom-sample.parquet"] "parquet checksum"
            Expect.equal (hex (Text.Encoding.UTF8.GetBytes(ElectorateExport.CodebookMarkdown e))) sums.["codebook.md"] "codebook.md"
            Expect.equal (hex (Text.Encoding.UTF8.GetBytes(ElectorateExport.CodebookJson e))) sums.["codebook.json"] "codebook.json"
            Expect.equal (hex (File.ReadAllBytes(Path.Combine(dir, "classroom-sample.parquet")))) sums.["classroom-sample.parquet"] "file on disk"
        }
    ]

[<Tests>]
let voteModel =
    testList "Electorate.VoteModel" [
        test "tactical voting: a supporter of a non-viable party moves to the best viable one; a viable choice stays" {
            let utility = [| 1.0; 0.5; 2.0 |]          // sincere choice: party 2
            let shares = [| 0.45; 0.40; 0.15 |]        // party 2 has a third of the leader's share
            let mutable r = Workbench.Random.RandomStream(1UL, 0u, 0UL)
            Expect.equal (VoteModel.Tactical(2, ReadOnlySpan utility, ReadOnlySpan shares, 0.5, 1.0, &r)) 0 "moves to party 0 (higher utility of the viable)"
            Expect.equal (VoteModel.Tactical(2, ReadOnlySpan utility, ReadOnlySpan shares, 0.3, 1.0, &r)) 2 "viable at 0.3: stays"
            Expect.equal (VoteModel.Tactical(2, ReadOnlySpan utility, ReadOnlySpan shares, 0.5, 0.0, &r)) 2 "probability 0: stays"
        }
        test "choice probabilities sum to 1 and follow the logit of utilities" {
            let u = [| 0.0; Math.Log 2.0; Double.NegativeInfinity |]
            VoteModel.Softmax(Span u)
            Expect.floatClose Accuracy.high u.[0] (1.0 / 3.0) "p0"
            Expect.floatClose Accuracy.high u.[1] (2.0 / 3.0) "p1"
            Expect.equal u.[2] 0.0 "a party that does not stand gets 0"
        }
        test "the generator's single-precision turnout propensity is the public TurnoutModel's, to Half precision" {
            // The generator evaluates the turnout index in a vector pass of its own; this ties it to TurnoutModel.Index,
            // so a change to the turnout formula in one place and not the other fails here.
            let e = gen "classroom" 50000 1
            let mutable worst = 0.0
            for i in 0 .. e.VoterCount - 1 do
                worst <- max worst (abs (float e.TurnoutPropensity.[i] - e.TurnoutModel.Probability(e, i)))
            Expect.isLessThan worst 1e-3 $"largest difference {worst:g3} (Half spacing is 4.9e-4 below 1)"
        }
    ]
