module Workbench.Tests.Experiments.SimulationTests

open System
open Expecto
open Workbench.Experiments

let private classroom = lazy (Simulation.Run(Scenario.Builtin("classroom").With(Nullable 4, Nullable 3, Nullable 20000), Nullable 2))

[<Tests>]
let tests =
    testList "Experiments.Simulation" [
        test "a contrast is the paired difference of two arms: its mean equals the difference of their effects, an arm against itself is exactly zero" {
            let r = classroom.Value
            let effects = r.Effects() |> Seq.filter (fun e -> e.Party = "Red") |> Seq.map (fun e -> (e.Arm, e.System), e) |> Map.ofSeq
            let contrasts = r.Contrasts("red-microtargets", "blue-broadcasts", "Red")
            Expect.equal (contrasts |> Seq.map (fun c -> c.System) |> Set.ofSeq) (set [ "FPTP"; "D'Hondt" ]) "one per system"
            for c in contrasts do
                let a = effects[("red-microtargets", c.System)].SeatChange.Mean
                let b = effects[("blue-broadcasts", c.System)].SeatChange.Mean
                Expect.floatClose Accuracy.high c.SeatDifference.Mean (a - b) (sprintf "%s: paired mean = difference of means" c.System)
                Expect.equal c.Replicates 4 "paired over every replicate"
                Expect.isLessThanOrEqual c.SeatDifference.Low c.SeatDifference.Mean "interval below"
                Expect.isGreaterThanOrEqual c.SeatDifference.High c.SeatDifference.Mean "interval above"
            for c in r.Contrasts("red-microtargets", "red-microtargets", "Red") do
                Expect.equal c.SeatDifference (Estimate(0.0, 0.0, 0.0)) "no difference, no width"
        }
        test "results.parquet reads back as the rows of results.csv (ColumnTable writes both)" {
            let r = classroom.Value
            let files = r.OutputFiles() |> Seq.map (fun kv -> kv.Key, kv.Value) |> Map.ofSeq
            let back = Workbench.Tables.ColumnTable.ReadParquetAsync(new IO.MemoryStream(files["results.parquet"])).GetAwaiter().GetResult()
            Expect.equal (back.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq)
                [ "scenario", typeof<string>; "arm", typeof<string>; "replicate", typeof<int>; "seed", typeof<int64>; "system", typeof<string>
                  "party", typeof<string>; "votes", typeof<int64>; "share", typeof<float>; "seats", typeof<int>; "turnout", typeof<float>
                  "spend", typeof<float>; "contacts", typeof<int64> ] "columns and types"
            Expect.equal back.RowCount r.Rows.Count "rows"
            Expect.equal (Text.Encoding.UTF8.GetString files["results.csv"]) (back.ToCsv()) "the Parquet values print as results.csv"
            // The CSV as it was written before ColumnTable wrote it: fields in Header order, invariant culture, "R" doubles.
            let ci = Globalization.CultureInfo.InvariantCulture
            let esc (s: string) = Workbench.Tables.CsvText.Escape s
            let legacy =
                "scenario,arm,replicate,seed,system,party,votes,share,seats,turnout,spend,contacts\n" +
                String.concat "" [ for x in r.Rows ->
                                     String.Join(",", [ esc x.Scenario; esc x.Arm; x.Replicate.ToString ci; x.Seed.ToString ci; esc x.System; esc x.Party
                                                        x.Votes.ToString ci; x.Share.ToString("R", ci); x.Seats.ToString ci; x.Turnout.ToString("R", ci)
                                                        x.Spend.ToString("R", ci); x.Contacts.ToString ci ]) + "\n" ]
            Expect.equal (r.ToCsv()) legacy "results.csv bytes unchanged"
        }
        test "a contrast names what it cannot find" {
            let r = classroom.Value
            let ex = Expect.throwsC (fun () -> r.Contrasts("nope", "blue-broadcasts", "Red") |> ignore) id
            Expect.stringContains ex.Message "red-microtargets" "lists the arms"
            Expect.throwsT<ArgumentException> (fun () -> r.Contrasts("red-microtargets", "blue-broadcasts", "Magenta") |> ignore) "party"
        }
    ]
