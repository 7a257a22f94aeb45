module Workbench.Tests.Electorate.VoterModelTests

// The scalar voter model (VoterModel.Draw, the executable specification) against the generator's vector pass
// (Generator.VoterBlockPass): every output column bit for bit, for random seeds, block lengths, electorate specs and
// coefficients of the voter model (docs/electorate.md, "The voter model as a specification").

open System
open System.Reflection
open Expecto
open FsCheck
open FsCheck.FSharp
open Workbench
open Workbench.Electorate

/// A copy of the default voter model with every [Param] coefficient redrawn, with probability ½, uniformly over its
/// valid range; the Big Five correlations are shrunk toward 0 until they form a positive definite matrix.
let private perturbed (rng: Random) =
    let spec = VoterModelSpec()
    let uniform (a: ParamAttribute) = a.Min + (a.Max - a.Min) * rng.NextDouble()
    for p in typeof<VoterModelSpec>.GetProperties(BindingFlags.Public ||| BindingFlags.Instance) do
        match p.GetCustomAttribute<ParamAttribute>() with
        | null -> ()
        | a when p.PropertyType = typeof<double> -> if rng.Next 2 = 0 then p.SetValue(spec, uniform a)
        | a when p.PropertyType = typeof<System.Collections.Generic.IReadOnlyList<double>> ->
            let values = (p.GetValue spec :?> System.Collections.Generic.IReadOnlyList<double>) |> Seq.map (fun d -> if rng.Next 2 = 0 then uniform a else d) |> Array.ofSeq
            p.SetValue(spec, values)
        | _ -> failwithf "%s: a [Param] of an unexpected type" p.Name
    let correlations = typeof<VoterModelSpec>.GetProperty "BigFiveCorrelations"
    let raw = correlations.GetValue spec :?> System.Collections.Generic.IReadOnlyList<double> |> Array.ofSeq
    let mutable shrink = 1.0
    correlations.SetValue(spec, raw |> Array.map (fun r -> r * shrink))
    while not (Seq.isEmpty (spec.Validate())) do
        shrink <- shrink / 2.0
        correlations.SetValue(spec, raw |> Array.map (fun r -> r * shrink))
    spec

/// A shipped preset with the voter-level parts of its spec redrawn: the number of issues (1–6, party positions drawn
/// for new ones), salience concentration (below 1 every gamma is redrawn from the fallback stream), party
/// identification, household partisanship, policy weight, marginals and neighbourhood sizes.
let private electorateSpec (rng: Random) preset =
    let node = Text.Json.Nodes.JsonNode.Parse((Electorates.Preset preset).ToJson()).AsObject()
    let k = rng.Next(1, 7)
    let issues = Text.Json.Nodes.JsonArray()
    for q in 0 .. k - 1 do issues.Add(Text.Json.Nodes.JsonValue.Create $"issue {q}")
    node.["issues"] <- issues
    for party in node.["parties"].AsArray() do
        let positions = Text.Json.Nodes.JsonArray()
        for _ in 0 .. k - 1 do positions.Add(Text.Json.Nodes.JsonValue.Create(3.0 * rng.NextDouble() - 1.5))
        party.["positions"] <- positions
    let set (o: Text.Json.Nodes.JsonNode) (name: string) (value: float) = o.[name] <- Text.Json.Nodes.JsonValue.Create value
    set node "salienceConcentration" (if rng.Next 3 = 0 then 0.05 + 0.9 * rng.NextDouble() else 1.0 + 9.0 * rng.NextDouble())
    set node "partyIdRate" (rng.NextDouble())
    set node "householdPartisanship" (rng.NextDouble())
    set node "policyWeight" (5.0 * rng.NextDouble())
    match node.["marginals"] with
    | null -> ()
    | m ->
        set m "female" (rng.NextDouble())
        set m "minority" (rng.NextDouble())
        set m "health" (rng.NextDouble())
    let smallest = rng.Next(1, 40)
    node.["minNeighbourhoodHouseholds"] <- Text.Json.Nodes.JsonValue.Create smallest
    node.["maxNeighbourhoodHouseholds"] <- Text.Json.Nodes.JsonValue.Create(smallest + rng.Next 80)
    ElectorateSpec.FromJson(node.ToJsonString())

/// The first voter and column where two electorates' voter columns differ (bytes, or the bits of Half values), if any.
let private firstDifference (a: Electorate) (b: Electorate) =
    let halves (x: Half[]) = x |> Array.map BitConverter.HalfToUInt16Bits |> Array.map int
    let bytes (x: byte[]) = x |> Array.map int
    let signed (x: sbyte[]) = x |> Array.map int
    let K = a.IssueCount
    let columns =
        [ "age", 1, (fun (e: Electorate) -> bytes e.Age); "gender", 1, (fun e -> bytes e.Gender)
          "education", 1, (fun e -> bytes e.Education); "incomeQuintile", 1, (fun e -> bytes e.IncomeQuintile)
          "employment", 1, (fun e -> bytes e.Employment); "urban", 1, (fun e -> bytes e.Urban)
          "minority", 1, (fun e -> bytes e.Minority); "health", 1, (fun e -> bytes e.Health)
          "bigFive", 5, (fun e -> halves e.BigFive); "issuePosition", K, (fun e -> halves e.IssuePosition)
          "issueSalience", K, (fun e -> halves e.IssueSalience); "partyId", 1, (fun e -> signed e.PartyId)
          "partyIdStrength", 1, (fun e -> halves e.PartyIdStrength); "pastVote", 1, (fun e -> signed e.PastVote)
          "pastTurnout", 1, (fun e -> bytes e.PastTurnout); "interest", 1, (fun e -> halves e.Interest)
          "persuadability", 1, (fun e -> halves e.Persuadability); "mediaUse", 7, (fun e -> bytes e.MediaUse)
          "tvShow", 1, (fun e -> bytes e.TvShow); "homeProbability", 3, (fun e -> bytes e.HomeProbability)
          "answersPhone", 1, (fun e -> bytes e.AnswersPhone); "opensEmail", 1, (fun e -> bytes e.OpensEmail)
          "consumerInterest", 4, (fun e -> bytes e.ConsumerInterest); "digitalFootprint", 1, (fun e -> halves e.DigitalFootprint) ]
    columns |> List.tryPick (fun (name, width, column) ->
        let x, y = column a, column b
        if x.Length <> a.VoterCount * width || y.Length <> x.Length then Some $"{name}: {x.Length} and {y.Length} values for {a.VoterCount} voters × {width}"
        else
            Array.zip x y |> Array.tryFindIndex (fun (p, q) -> p <> q)
            |> Option.map (fun i -> $"{name}: voter {i / width}, value {i % width}: vector pass {x.[i]}, scalar model {y.[i]}"))

let private presets = Electorates.Presets |> Seq.toArray

let private genCase =
    gen {
        let! seed = ArbMap.defaults |> ArbMap.generate<uint64>
        let! blockLength = Gen.frequency [ 1, Gen.constant 1; 1, Gen.constant 256; 2, Gen.elements [ 15; 16; 17; 31; 33; 255 ]; 4, Gen.choose (1, 256) ]
        let! preset = Gen.elements presets
        let! perturbation = Gen.choose (0, Int32.MaxValue)
        let! extraVoters = Gen.choose (0, 3000)
        return seed, blockLength, preset, perturbation, extraVoters
    }

let private agree (seed: uint64, blockLength, preset, perturbation, extraVoters) =
    let rng = Random(perturbation)
    let spec = electorateSpec rng preset
    let model = if perturbation % 5 = 0 then VoterModelSpec.Default else perturbed rng
    let voters = spec.Constituencies * 10 + extraVoters
    let vector = Generator.GenerateVoterStage(spec, model, voters, seed, blockLength, false)
    let scalar = Generator.GenerateVoterStage(spec, model, voters, seed, blockLength, true)
    match firstDifference vector scalar with
    | None -> true
    | Some where ->
        failtestf "seed %d, block length %d, preset %s (%d issues, salience concentration %g), perturbation %d, %d voters: %s"
            seed blockLength preset spec.IssueCount spec.SalienceConcentration perturbation voters where

[<Tests>]
let tests =
    testList "Electorate.VoterModel" [
        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 60 }
            "the vector pass's columns equal the scalar model's bit for bit (random seeds, block lengths, specs and coefficients)" (fun () ->
                Prop.forAll (Arb.fromGen genCase) agree)
        test "the default coefficients and a shipped preset: scalar and vector agree on 20,000 voters of every block length class" {
            for blockLength in [ 1; 16; 17; 256 ] do
                let vector = Generator.GenerateVoterStage(Electorates.Preset "classroom", VoterModelSpec.Default, 20000, 2018UL, blockLength, false)
                let scalar = Generator.GenerateVoterStage(Electorates.Preset "classroom", VoterModelSpec.Default, 20000, 2018UL, blockLength, true)
                match firstDifference vector scalar with
                | Some where -> failtestf "block length %d: %s" blockLength where
                | None -> ()
        }
        test "the voter stage is the one Generate runs: its columns equal the full generation's" {
            let spec = Electorates.Preset "classroom"
            let full = Generator.Generate(spec, 20000, 7, 2)
            let stage = Generator.GenerateVoterStage(spec, VoterModelSpec.Default, 20000, 7UL, 256, true)
            Expect.equal (firstDifference full stage) None "same columns"
        }
        test "a small salience concentration never gives NaN saliences (every gamma of a voter rounding to 0 in single precision)" {
            // With α = 0.05 a gamma rounds to 0 as a float about once in 170 draws: with one issue that was 0/0 = NaN
            // for about one voter in 170, with two issues one in 30,000.
            for k in [ 1; 2 ] do
                let node = Text.Json.Nodes.JsonNode.Parse((Electorates.Preset "classroom").ToJson()).AsObject()
                node.["salienceConcentration"] <- Text.Json.Nodes.JsonValue.Create 0.05
                node.["issues"] <- Text.Json.Nodes.JsonNode.Parse(if k = 1 then """["economy"]""" else """["economy", "culture"]""")
                for party in node.["parties"].AsArray() do
                    party.["positions"] <- Text.Json.Nodes.JsonNode.Parse(if k = 1 then "[0.1]" else "[0.1, -0.2]")
                let spec = ElectorateSpec.FromJson(node.ToJsonString())
                let e = Generator.GenerateVoterStage(spec, VoterModelSpec.Default, 100000, 5UL, 256, false)
                let nan = e.IssueSalience |> Array.filter Half.IsNaN |> Array.length
                Expect.equal nan 0 $"{k} issues: no NaN salience"
                for i in 0 .. e.VoterCount - 1 do
                    let total = Seq.init k (fun q -> float e.IssueSalience.[i * k + q]) |> Seq.sum
                    if abs (total - 1.0) > 0.002 then failtestf "%d issues, voter %d: saliences sum to %g" k i total
        }
        test "the default voter model is valid; a bad coefficient is reported with its path, value and range" {
            Expect.isEmpty (VoterModelSpec.Default.Validate()) "default valid"
            let bad = VoterModelSpec()
            typeof<VoterModelSpec>.GetProperty("EmployedShare").SetValue(bad, 1.5)
            typeof<VoterModelSpec>.GetProperty("MediaAge").SetValue(bad, [| 0.1; 0.2 |])
            let errors = bad.Validate("$.voterModel")
            Expect.exists errors (fun e -> e.Path = "$.voterModel.mediaAge" && e.Message.Contains "7") "array length named"
            typeof<VoterModelSpec>.GetProperty("MediaAge").SetValue(bad, Array.create 7 0.0)
            let errors = bad.Validate("$.voterModel")
            Expect.exists errors (fun e -> e.Path = "$.voterModel.employedShare" && e.Message.Contains "1.5" && e.Message.Contains "[0, 1]") "range named"
            let notPd = VoterModelSpec()
            typeof<VoterModelSpec>.GetProperty("BigFiveCorrelations").SetValue(notPd, Array.create 10 -0.9)
            Expect.exists (notPd.Validate()) (fun e -> e.Path = "$.bigFiveCorrelations" && e.Message.Contains "positive definite") "not positive definite"
            Expect.throwsT<SpecValidationException>
                (fun () -> Generator.Generate(Electorates.Preset "classroom", 1000, 1, notPd) |> ignore) "Generate refuses it"
        }
        test "a coefficient of the spec reaches the generated voters (retirement age 40: nobody under 40 is retired, most over 40 are)" {
            let model = VoterModelSpec()
            typeof<VoterModelSpec>.GetProperty("RetirementAge").SetValue(model, 40.0)
            let e = Generator.Generate(Electorates.Preset "classroom", 20000, 3, model)
            let retired = [| for i in 0 .. e.VoterCount - 1 do if e.Employment.[i] = byte Employment.Retired then int e.Age.[i] |]
            Expect.isTrue (retired |> Array.forall (fun a -> a >= 40)) "retired voters are 40 or older"
            let over40 = [| for i in 0 .. e.VoterCount - 1 do if e.Age.[i] >= 40uy then e.Employment.[i] |]
            let share = float (over40 |> Array.filter (fun x -> x = byte Employment.Retired) |> Array.length) / float over40.Length
            Expect.floatClose { absolute = 0.02; relative = 0.0 } share 0.88 "the retired share of voters of retirement age"
        }
        test "the demographic seed-table and tilt coefficients reach the cell tables" {
            let spec = Electorates.Preset "classroom"
            let withValue (name: string) (value: float) (m: VoterModelSpec) =
                typeof<VoterModelSpec>.GetProperty(name).SetValue(m, value)
                m
            // Without the income tilts every constituency's income target is the national marginal; with the defaults not.
            let incomeTargets model =
                let e = Generator.GenerateVoterStage(spec, model, 20000, 3UL, 256, false)
                [ for k in 0 .. spec.Constituencies - 1 -> e.ConstituencyMarginalTargets.[k].[2] ]
            let national = let total = Seq.sum spec.Marginals.Income in [| for x in spec.Marginals.Income -> x / total |]
            let untilted = VoterModelSpec() |> withValue "IncomeTiltDeprivation" 0.0 |> withValue "IncomeTiltUrbanity" 0.0
            for target in incomeTargets untilted do
                Expect.sequenceEqual (target |> Array.map (fun x -> Math.Round(x, 12))) (national |> Array.map (fun x -> Math.Round(x, 12))) "untilted income target"
            let largestTilt = incomeTargets (VoterModelSpec()) |> List.map (fun t -> Array.map2 (fun a b -> abs (a - b)) t national |> Array.max) |> List.max
            Expect.isGreaterThan largestTilt 1e-3 "the default tilts move some constituency's income target"
            // The education–income slope of the seed table sets their association among voters.
            let correlation model =
                let e = Generator.GenerateVoterStage(spec, model, 20000, 3UL, 256, false)
                let x = Array.map float e.Education
                let y = Array.map float e.IncomeQuintile
                let mx, my = Array.average x, Array.average y
                let cov = Array.map2 (fun a b -> (a - mx) * (b - my)) x y |> Array.average
                cov / sqrt ((x |> Array.averageBy (fun a -> (a - mx) ** 2.0)) * (y |> Array.averageBy (fun b -> (b - my) ** 2.0)))
            let negative = correlation (VoterModelSpec() |> withValue "SeedEducationIncome" -0.9)
            let positive = correlation (VoterModelSpec() |> withValue "SeedEducationIncome" 0.9)
            Expect.isLessThan negative 0.0 $"a negative slope: correlation {negative:F3} below 0"
            Expect.isGreaterThan positive (negative + 0.5) $"a positive slope: correlation {positive:F3} well above {negative:F3}"
        }
    ]
