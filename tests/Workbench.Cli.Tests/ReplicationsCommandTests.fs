/// workbench replications: chapter 11's published findings as two tables, calibration targets and out-of-sample checks.
module Workbench.Cli.Tests.ReplicationsCommandTests

open Expecto
open Workbench.Cli.Tests

[<Tests>]
let tests =
    testList "Cli.replications" [
        test "prints the calibration table and the out-of-sample table, each with its reproduced count, and exits 0" {
            let code, out, err = Cli.run [ "replications"; "--voters"; "30000"; "--threads"; "2" ]
            Expect.equal code 0 err
            let cal = out.IndexOf "Calibration targets"
            let oos = out.IndexOf "Out-of-sample checks"
            Expect.isGreaterThanOrEqual cal 0 "a calibration table"
            Expect.isGreaterThan oos cal "then an out-of-sample table"
            let calibration, outOfSample = out.Substring(cal, oos - cal), out.Substring oos
            Expect.stringContains calibration "Door-to-door canvassing" "field experiments are calibration targets"
            Expect.isFalse (calibration.Contains "Cube law") "the cube law is not a calibration target"
            Expect.stringContains outOfSample "Cube law" "the cube law is out of sample"
            Expect.stringContains outOfSample "marginal seats" "campaign geography is out of sample"
            for table in [ calibration; outOfSample ] do
                Expect.stringContains table "finding  " "a header row"
                Expect.stringContains table "tolerance" "the tolerance column"
                Expect.stringContains table " reproduced" "a reproduced count"
            Expect.stringContains outOfSample "NO" "a finding the model does not reproduce is printed as NO"
        }
        test "bad flags are usage errors naming the flag and the range" {
            let code, _, err = Cli.run [ "replications"; "--voters"; "5" ]
            Expect.equal code 2 err
            Expect.stringContains err "--voters must be between 10000 and 1000000; got 5" "flag, range and value"
            let code, _, err = Cli.run [ "replications"; "--evidence"; "rosy" ]
            Expect.equal code 2 err
            Expect.stringContains err "--evidence must be one of pessimistic, central, optimistic; got 'rosy'" "flag, presets and value"
        }
    ]
