export {
  bgNbdLogLikelihood,
  bgNbdTotalLogLikelihood,
  conditionalExpectedPurchases,
  expectedPurchases,
  fitBgNbd,
  probabilityAlive,
  probabilityDroppedOut,
  probabilityOfPurchase,
  type BgNbdFit,
  type BgNbdFitOptions,
  type BgNbdParams,
  type CustomerSummary,
} from './bg-nbd.js';
export {
  conditionalExpectedAverageValue,
  expectedAverageValue,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  type GammaGammaFit,
  type GammaGammaFitOptions,
  type GammaGammaParams,
  type SpendSummary,
} from './gamma-gamma.js';
export {
  churnRisk,
  customerLifetimeValue,
  discountRatePerPeriod,
  predictCustomer,
  purchasePropensity,
  type CustomerPrediction,
  type LifetimeValueOptions,
  type PredictionOptions,
  type ValueModels,
  type ValuedCustomer,
} from './customer-lifetime-value.js';
export {
  computeQuintileThresholds,
  computeRfmBoundaries,
  scoreQuintile,
  scoreRfm,
  type BetterDirection,
  type QuintileThresholds,
  type RfmBoundaries,
  type RfmCustomer,
  type RfmScore,
  type RfmScoreValue,
  type RfmThreshold,
} from './rfm.js';
export { RFM_SEGMENTS, rfmSegment, type RfmSegment } from './rfm-segments.js';
export { SeededRandom, simulateBgNbdCustomers, simulateGammaGammaSpend, type SimulatedCustomer } from './simulation.js';
