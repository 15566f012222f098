import NumberFormat
import Testing

/// The one number formatter: never thirty digits, never "1 features".
struct NumberFormatTests {
  @Test func hugeNumbersAreScientificFromAMillionUp() {
    #expect(lossText(1e30) == "1.00e+30")
    #expect(lossText(-2.5e6) == "-2.50e+06")
    #expect(lossText(999_999) == "999999.0000")
    #expect(lossText(0.25) == "0.2500" && lossText(2e-5) == "2.00e-05")
    #expect(fixed(2.5e7, 2) == "2.50e+07" && fixed(1e300, 0) == "1.0e+300")
    #expect(fixed(3.14159, 2) == "3.14")
  }

  @Test func countsTakeTheirNounInTheSingularForOne() {
    #expect(counted(1, "feature") == "1 feature")
    #expect(counted(0, "feature") == "0 features")
    #expect(counted(1797, "example") == "1,797 examples")
    #expect(counted(1, "class", plural: "classes") == "1 class" && counted(3, "class", plural: "classes") == "3 classes")
  }
}
