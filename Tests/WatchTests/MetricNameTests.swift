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
      ("throughput", .other), ("lrelu_slope", .other), ("train/loss", .trainLoss), ("eval/loss", .validationLoss),
      // Hugging Face's Trainer logs the model's total norm; Lightning a bias's norm beside its weight's.
      ("train/grad_norm", .other), ("grad_2.0_norm/fc1.bias", .other), ("grad_norm/0", .gradientNorm(layer: "0")),
    ]
    for (name, kind) in cases { #expect(MetricName(name) == kind, "\(name)") }
  }

  @Test func aTensorBoardFolderLendsItsSplitOnly() {
    #expect(TensorBoardRun.key(tag: "Loss", folder: "Loss_val") == "val/Loss")
    #expect(TensorBoardRun.key(tag: "epoch_loss", folder: "validation") == "validation/epoch_loss")
    #expect(TensorBoardRun.key(tag: "Loss/train", folder: "May04_12-00-00_box_test-gpu") == "Loss/train")
    #expect(TensorBoardRun.key(tag: "Loss", folder: "runs/lr_0.1") == "Loss")
    #expect(MetricName(TensorBoardRun.key(tag: "Loss", folder: "May04_12-00-00_test")) == .validationLoss, "a folder named for its split")
  }

  @Test func aPerStepNameIsPreferredToAPerEpochOne() {
    #expect(MetricName.preferred(["train_loss_epoch", "train_loss_step"]) == "train_loss_step")
    #expect(MetricName.preferred(["validation/epoch_loss"]) == "validation/epoch_loss")
  }
}
