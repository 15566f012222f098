import Testing
@testable import Watch

/// The names other tools log under, and what they are taken to be.
struct MetricNameTests {
  @Test func loggersNamesAreRecognised() {
    let cases: [(String, MetricName)] = [
      ("train_loss", .trainLoss), ("loss", .trainLoss), ("Loss/train", .trainLoss), ("train_loss_step", .trainLoss),
      ("train/epoch_loss", .trainLoss), ("val_loss", .validationLoss), ("Loss/val", .validationLoss),
      ("validation/epoch_loss", .validationLoss), ("loss_test/loss", .validationLoss), ("val_acc_epoch", .validationAccuracy),
      ("Accuracy/train", .trainAccuracy), ("accuracy", .trainAccuracy), ("lr-Adam", .learningRate), ("learning_rate", .learningRate),
      ("grad_norm/fc1", .gradientNorm(layer: "fc1")), ("grad_2.0_norm/fc1.weight", .gradientNorm(layer: "fc1")),
      ("gradients/norm/layer1.0.conv1", .gradientNorm(layer: "layer1.0.conv1")), ("grad_2.0_norm_total", .other),
      ("throughput", .other), ("lrelu_slope", .other),
    ]
    for (name, kind) in cases { #expect(MetricName(name) == kind, "\(name)") }
  }

  @Test func aPerStepNameIsPreferredToAPerEpochOne() {
    #expect(MetricName.preferred(["train_loss_epoch", "train_loss_step"]) == "train_loss_step")
    #expect(MetricName.preferred(["validation/epoch_loss"]) == "validation/epoch_loss")
  }
}
