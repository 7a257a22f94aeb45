module Workbench.Tests.Data.DataRegimeTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open Workbench
open Workbench.Data

let private electorate = lazy (Workbench.Electorate.Electorates.Generate("classroom", Nullable 10000, Nullable 1, Nullable 2))

[<Tests>]
let regimes =
    testList "Data.Regimes" [
        test "every preset loads, validates and round-trips through JSON" {
            for name in DataRegime.PresetNames do
                let r = DataRegime.Preset name
                Expect.equal r.Name name "name"
                Expect.equal ((DataRegime.FromJson(r.ToJson())).ToJson()) (r.ToJson()) "round trip"
        }
        test "Germany-like is aggregated (cells of 7 households); US-like is individual; France-like bans turnout history and commercial data" {
            Expect.isTrue (DataRegime.Preset "germany-like").Aggregated "aggregated"
            Expect.isFalse (DataRegime.Preset "us-like").Aggregated "individual"
            let fr = DataRegime.Preset "france-like"
            Expect.contains fr.BannedAttributes "past_turnout" "no voting records"
            Expect.isFalse (Seq.contains DataSource.ConsumerData fr.AllowedSources) "no commercial data"
        }
        test "an invalid regime lists every error with its JSON path" {
            let json = """{ "name": "", "minimumUnitHouseholds": 0, "bannedAttributes": ["shoe_size"], "individualModelling": true, "minimumAudience": 1, "allowedSources": ["canvass"] }"""
            let ex = Expect.throwsC (fun () -> DataRegime.FromJson json |> ignore) id
            let errors = (ex :?> SpecValidationException).Errors |> Seq.map (fun e -> e.Path) |> Set.ofSeq
            for p in [ "$.name"; "$.minimumUnitHouseholds"; "$.bannedAttributes[0]" ] do Expect.contains errors p p
        }
    ]

[<Tests>]
let enforcement =
    testList "Data.Enforcement" [
        test "a forbidden source, a banned attribute and individual data under aggregation are refused, naming the rule" {
            let e = electorate.Value
            let fr = VoterData.Open(e, DataRegime.Preset "france-like")
            let ex1 = Expect.throwsC (fun () -> fr.Individual("income_quintile", DataSource.ConsumerData) |> ignore) id
            Expect.equal (ex1 :?> RegimeViolationException).Rule "allowedSources" "source rule"
            let ex2 = Expect.throwsC (fun () -> fr.Individual("past_turnout", DataSource.VoterFile) |> ignore) id
            Expect.equal (ex2 :?> RegimeViolationException).Rule "bannedAttributes" "attribute rule"
            let de = VoterData.Open(e, DataRegime.Preset "germany-like")
            let ex3 = Expect.throwsC (fun () -> de.Individual("age", DataSource.VoterFile) |> ignore) id
            Expect.equal (ex3 :?> RegimeViolationException).Rule "individualModelling" "aggregation rule"
        }
        test "US-like gives individual values equal to the truth" {
            let e = electorate.Value
            let us = VoterData.Open(e, DataRegime.Preset "us-like")
            let ages = us.Individual("age", DataSource.VoterFile)
            Expect.equal ages.[123] (float32 e.Age.[123]) "age"
        }
        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 30 } "no API path returns data on fewer than k households under an aggregated regime" (fun () ->
            let gen = Gen.zip (Gen.choose (2, 40)) (Gen.elements (List.ofSeq VoterData.Attributes))
            Prop.forAll (Arb.fromGen gen) (fun (k, attribute) ->
                let e = electorate.Value
                let regime = DataRegime(Name = "prop", MinimumUnitHouseholds = k, IndividualModelling = false)
                let data = VoterData.Open(e, regime)
                let source = VoterData.Catalogue.[attribute].[0]
                let individualRefused =
                    try data.Individual(attribute, source) |> ignore; false
                    with :? RegimeViolationException -> true
                let cells = data.Cells(attribute, source)
                // Every cell covers at least k households, unless its whole neighbourhood has fewer.
                let smallNeighbourhoods = e.Neighbourhood |> Array.zip e.Household |> Array.distinct |> Array.countBy snd |> Array.filter (fun (_, h) -> h < k) |> Array.length
                let small = cells.Households |> Seq.filter (fun h -> h < k) |> Seq.length
                individualRefused && small <= smallNeighbourhoods && Seq.sum cells.Voters = e.VoterCount))
    ]
